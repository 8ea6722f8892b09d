"""The audit log: an append-only hash chain that `manage.py verify_audit` checks, written on every
sign-in, failed sign-in, sign-out, password change and API token, with the client's address."""

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from chinhquyenso.core.audit import GENESIS, audit_record
from chinhquyenso.core.models import AuditEntry, Role, User

CLIENT_ADDRESS = "203.0.113.7"


@pytest.fixture
def clerk(db):
    return User.objects.create_user(username="motcua_test", password="mat-khau-cu-123", role=Role.DESK_OFFICER)


def verify_audit() -> str:
    """The output of `manage.py verify_audit`, or its error when the chain is broken."""
    out = []

    class Sink:
        def write(self, text):
            out.append(text)

    try:
        call_command("verify_audit", stdout=Sink())
    except CommandError as broken:
        return f"ERROR {broken}"
    return "".join(out).strip()


def bypass_append_only_trigger():
    """Drop the append-only trigger inside the test's own transaction: the rollback at the end of the
    test restores it (DDL is transactional on PostgreSQL and on SQLite)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER core_auditentry_append_only ON core_auditentry")
        else:
            cursor.execute("DROP TRIGGER core_auditentry_no_update")
            cursor.execute("DROP TRIGGER core_auditentry_no_delete")


def three_rows(actor: User) -> list[AuditEntry]:
    return [
        audit_record(action="dossier.received", actor=actor, object_type="Dossier", object_id="H01.1-001"),
        audit_record(action="dossier.forwarded", actor=actor, object_type="Dossier", object_id="H01.1-001"),
        audit_record(action="dossier.decided", actor=actor, object_type="Dossier", object_id="H01.1-001"),
    ]


# --- The chain ----------------------------------------------------------------------------------
def test_each_row_carries_the_digest_of_the_row_before_it(clerk):
    first, second, third = three_rows(clerk)
    assert first.prev_digest == GENESIS
    assert second.prev_digest == first.digest
    assert third.prev_digest == second.digest
    assert len({first.digest, second.digest, third.digest}) == 3


def test_verify_audit_prints_ok_with_the_row_count(clerk):
    three_rows(clerk)
    assert verify_audit() == "OK 3 rows"


def test_verify_audit_on_an_empty_log_is_ok(db):
    assert verify_audit() == "OK 0 rows"


def test_addresses_and_data_survive_the_round_trip_through_the_database(clerk):
    # spellings the database normalises (IPv6 upper case, a float it gives back as an integer)
    audit_record(action="a", actor=clerk, ip_address="2001:DB8:0:0::1", data={"amount": 1e20, "ratio": 0.1})
    audit_record(action="b", actor=clerk, ip_address="::ffff:203.0.113.7", data={"tên": "Kim Liên", "n": [1, 2.0]})
    audit_record(action="c", actor=clerk, ip_address="not an address", data={"x": float("inf")})
    assert verify_audit() == "OK 3 rows"
    assert list(AuditEntry.objects.values_list("ip_address", flat=True)) == ["2001:db8::1", "::ffff:203.0.113.7", None]


# --- Tampering ------------------------------------------------------------------------------------
def test_a_changed_row_is_reported_with_its_id(clerk):
    first, second, third = three_rows(clerk)
    bypass_append_only_trigger()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET object_id = 'H01.1-999' WHERE id = %s", [second.pk])

    report = verify_audit()

    assert report.startswith("ERROR")
    assert f"row id={second.pk} " in report
    assert "after 1 good rows" in report


def test_a_row_removed_from_the_middle_is_reported_at_the_row_after_it(clerk):
    first, second, third = three_rows(clerk)
    bypass_append_only_trigger()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [second.pk])

    assert f"row id={third.pk} " in verify_audit()


def test_a_row_removed_from_the_end_is_reported(clerk):
    first, second, third = three_rows(clerk)
    bypass_append_only_trigger()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [third.pk])

    report = verify_audit()
    assert report.startswith("ERROR")
    assert "end of chain" in report


def test_a_forged_row_appended_without_the_chain_head_is_reported(clerk):
    three_rows(clerk)
    last = AuditEntry.objects.order_by("id").last()
    forged = AuditEntry.objects.create(
        at=last.at, action="dossier.deleted", prev_digest=last.digest, digest="f" * 64, actor_label="?"
    )
    assert f"row id={forged.pk} " in verify_audit()


@pytest.mark.parametrize(
    "change",
    [
        lambda entry: AuditEntry.objects.filter(pk=entry.pk).update(action="dossier.forged"),
        lambda entry: AuditEntry.objects.filter(pk=entry.pk).delete(),
        lambda entry: entry.delete(),
        lambda entry: (setattr(entry, "object_id", "H01.1-999"), entry.save()),
    ],
    ids=["queryset-update", "queryset-delete", "instance-delete", "instance-save"],
)
def test_the_database_refuses_to_update_or_delete_an_audit_row(clerk, change):
    entry = audit_record(action="dossier.received", actor=clerk, object_id="H01.1-001")

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        change(entry)

    entry.refresh_from_db()
    assert (entry.action, entry.object_id) == ("dossier.received", "H01.1-001")
    assert verify_audit() == "OK 1 rows"


# --- What is recorded -------------------------------------------------------------------------------
def actions_from(address: str) -> list[tuple[str, str]]:
    return list(AuditEntry.objects.filter(ip_address=address).values_list("action", "actor_label"))


def test_sign_in_failed_sign_in_password_change_and_sign_out_are_recorded_with_the_address(client, clerk):
    client.defaults["REMOTE_ADDR"] = CLIENT_ADDRESS

    client.post("/can-bo/dang-nhap/", {"username": "motcua_test", "password": "sai-mat-khau"})
    signed_in = client.post("/can-bo/dang-nhap/", {"username": "motcua_test", "password": "mat-khau-cu-123"})
    changed = client.post(
        "/can-bo/doi-mat-khau/",
        {
            "old_password": "mat-khau-cu-123",
            "new_password1": "Kim-Lien-2026-moi",
            "new_password2": "Kim-Lien-2026-moi",
        },
    )
    client.post("/can-bo/dang-xuat/")

    assert (signed_in.status_code, changed.status_code) == (302, 302)
    assert actions_from(CLIENT_ADDRESS) == [
        ("auth.login_failed", "motcua_test"),
        ("auth.login", "motcua_test"),
        ("auth.password_changed", "motcua_test"),
        ("auth.logout", "motcua_test"),
    ]
    assert AuditEntry.objects.get(action="auth.login").actor == clerk
    assert verify_audit() == "OK 4 rows"


def test_an_api_token_issued_or_refused_is_recorded_with_the_address(client, clerk):
    client.post(
        "/api/v1/auth/token",
        {"username": "motcua_test", "password": "sai"},
        content_type="application/json",
        REMOTE_ADDR=CLIENT_ADDRESS,
    )
    client.post(
        "/api/v1/auth/token",
        {"username": "motcua_test", "password": "mat-khau-cu-123"},
        content_type="application/json",
        REMOTE_ADDR=CLIENT_ADDRESS,
    )
    assert actions_from(CLIENT_ADDRESS) == [
        ("auth.api_token_refused", "motcua_test"),
        ("auth.api_token_issued", "motcua_test"),
    ]


# --- Concurrency ------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_appends_from_many_threads_at_once_keep_one_valid_chain():
    threads, per_thread = 6, 15
    start = threading.Barrier(threads)
    failures = []

    def append(worker: int) -> None:
        try:
            start.wait()
            for n in range(per_thread):
                with transaction.atomic():
                    audit_record(action="test.concurrent", actor_label=f"worker-{worker}", object_id=str(n))
        except Exception as error:  # reported by the main thread
            failures.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=append, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert failures == []
    assert verify_audit() == f"OK {threads * per_thread} rows"
    digests = list(AuditEntry.objects.order_by("id").values_list("prev_digest", "digest"))
    assert [prev for prev, _ in digests[1:]] == [digest for _, digest in digests[:-1]]

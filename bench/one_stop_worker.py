"""Work the one-stop bench does inside Django (run as a subprocess with the bench's settings):
`codes N FILE`, `queries CODE`, `intake N OFFSET`, `check-codes DAY`, `inbox USERNAME RUNS`."""

from __future__ import annotations

import json
import os
import statistics
import sys
import time


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    task, *args = argv
    print(json.dumps(TASKS[task](*args)))


def codes(count: str, path: str) -> dict:
    """A random sample of existing codes for the tracking load."""
    from chinhquyenso.procedures.models import Dossier

    top = Dossier.objects.order_by("-id").values_list("id", flat=True).first() or 0
    import random

    rng = random.Random(11)
    ids = [rng.randint(1, top) for _ in range(int(count))]
    found = list(Dossier.objects.filter(id__in=ids).values_list("code", flat=True))
    with open(path, "w") as out:
        out.write("\n".join(found) + "\n")
    return {"codes": len(found), "dossiers": Dossier.objects.count()}


def queries(code: str) -> dict:
    """How many SQL statements one public tracking request makes (a fresh client, no session)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.get(f"/api/v1/public/dossiers/{code}", secure=True)  # warm: nothing cached on purpose
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/api/v1/public/dossiers/{code}", secure=True)
    return {"status": response.status_code, "queries": len(captured)}


DESKS = ["001.00.72.H26", "001.00.74.H26", "001.00.71.H26", "001.00.75.H26"]  # Kim Liên, Láng, Đống Đa, Ô Chợ Dừa


def intake(count: str, offset: str, start_at: str = "0", desk_code: str = DESKS[0]) -> dict:
    """Receive `count` dossiers at one desk through the service, as its desk officer would."""
    from chinhquyenso.core.models import Office, User
    from chinhquyenso.procedures.selectors import default_resolving_office, procedure_get_published
    from chinhquyenso.procedures.services import Applicant, ReceivedDocument, dossier_intake

    desk = Office.objects.select_related("admin_unit").get(code=desk_code)
    clerk = User.objects.filter(role="desk_officer", scope=desk.admin_unit, is_active=True).order_by("id").first()
    version = procedure_get_published(code="2.000815")
    resolving = default_resolving_office(receiving_office=desk, version=version)
    documents = [
        ReceivedDocument(required_document_id=d.pk, digitised=True) for d in version.documents.all() if d.mandatory
    ]
    # every process starts at the same instant, after its own set-up, so the figure is throughput, not start-up
    time.sleep(max(0.0, float(start_at) - time.time()))
    codes_made, began = [], time.perf_counter()
    for number in range(int(count)):
        result = dossier_intake(
            actor=clerk,
            version=version,
            receiving_office=desk,
            resolving_office=resolving,
            applicant=Applicant(name=f"Người nộp thử {offset}-{number}"),
            documents=documents,
        )
        codes_made.append(result.dossier.code)
    return {"seconds": time.perf_counter() - began, "ended_at": time.time(), "codes": codes_made}


def check_codes(prefix: str) -> dict:
    """Every code of the agency-day prefix is there once, numbered 1..n without a gap."""
    from chinhquyenso.procedures.models import Dossier

    numbers = sorted(
        int(code.rsplit("-", 1)[1])
        for code in Dossier.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    )
    return {
        "count": len(numbers),
        "gap_free": numbers == list(range(1, len(numbers) + 1)),
        "duplicates": len(numbers) - len(set(numbers)),
    }


def inbox(username: str, runs: str) -> dict:
    """An officer's inbox: the selector alone and the whole page, in milliseconds."""
    from django.test import Client

    from chinhquyenso.core.models import User
    from chinhquyenso.procedures.selectors import dossier_inbox

    user = User.objects.get(username=username)
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.force_login(user)
    selector_ms, page_ms = [], []
    for _ in range(3):  # warm: compiled templates, the calendar in memory
        client.get("/can-bo/ho-so/", secure=True)
    for _ in range(int(runs)):
        began = time.perf_counter()
        box = dossier_inbox(user=user)
        selector_ms.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        response = client.get("/can-bo/ho-so/", secure=True)
        page_ms.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code

    def p(values, q):
        return round(statistics.quantiles(values, n=100)[q - 1], 2) if len(values) > 1 else round(values[0], 2)

    return {
        "selector_p50_ms": p(selector_ms, 50),
        "selector_p95_ms": p(selector_ms, 95),
        "page_p50_ms": p(page_ms, 50),
        "page_p95_ms": p(page_ms, 95),
        "my_step": len(box.my_step),
        "overdue": len(box.overdue),
    }


TASKS = {"codes": codes, "queries": queries, "intake": intake, "check-codes": check_codes, "inbox": inbox}

if __name__ == "__main__":
    main(sys.argv[1:])

from django.core.management.base import BaseCommand, CommandError

from chinhquyenso.core.audit import audit_verify_chain


class Command(BaseCommand):
    help = "Kiểm tra chuỗi băm của nhật ký hệ thống: in 'OK <số dòng>' hoặc mắt xích hỏng đầu tiên."

    def handle(self, *args, **options):
        result = audit_verify_chain()
        if result.ok:
            self.stdout.write(f"OK {result.count} rows")
            return
        # like "OK <n> rows", a fixed English form that monitoring can match; exit status 1
        where = f"row id={result.broken_id}" if result.broken_id else "end of chain"
        raise CommandError(f"BROKEN at {where} after {result.count} good rows: {result.reason}")

"""The statutory time limits of RULES.md §3 and the common public-report categories, as data rows."""

from django.db import migrations

def seed(apps, schema_editor):
    from chinhquyenso.complaints.rules import categories_seed, rules_seed

    rules_seed(
        rule_model=apps.get_model("complaints", "DeadlineRule"),
        legal_basis_model=apps.get_model("core", "LegalBasis"),
    )
    categories_seed(category_model=apps.get_model("complaints", "ReportCategory"))


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

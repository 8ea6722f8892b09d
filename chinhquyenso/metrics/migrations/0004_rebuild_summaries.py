"""The unit-day and procedure-month tables start empty: clear the facts and the old summaries and move the
mark back, so the next refresh folds every dossier into all the tables (refresh_metrics, or the beat)."""

from django.db import migrations


def reset(apps, schema_editor):
    for name in ("DossierFact", "DailyFigures", "OfficerDailyFigures", "UnitDayFigures", "UnitProcedureMonthFigures"):
        apps.get_model("metrics", name).objects.all().delete()
    apps.get_model("metrics", "RefreshMark").objects.update(last_event_id=0, refreshed_at=None)


class Migration(migrations.Migration):
    dependencies = [("metrics", "0003_summary_tables_by_unit")]
    operations = [migrations.RunPython(reset, migrations.RunPython.noop)]

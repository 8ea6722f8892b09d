import datetime as dt
from decimal import Decimal

from django.db import migrations

from chinhquyenso.metrics.rules import RULE_SET_766


def seed(apps, schema_editor):
    RuleSet = apps.get_model("metrics", "IndexRuleSet")
    Group = apps.get_model("metrics", "IndexGroup")
    Indicator = apps.get_model("metrics", "IndexIndicator")
    Mark = apps.get_model("metrics", "RefreshMark")
    Mark.objects.get_or_create(name="dossier-events")
    data = RULE_SET_766
    rule_set, created = RuleSet.objects.get_or_create(
        name=data["name"], defaults={"basis": data["basis"], "valid_from": dt.date.fromisoformat(data["valid_from"])}
    )
    if not created:
        return
    for number, name, points, indicators in data["groups"]:
        group = Group.objects.create(rule_set=rule_set, number=number, name=name, max_points=Decimal(points))
        for order, (code, key, label, max_points, target, formula) in enumerate(indicators, start=1):
            Indicator.objects.create(
                group=group,
                code=code,
                key=key,
                order=order,
                name=label,
                max_points=Decimal(max_points),
                target=None if target is None else Decimal(target),
                formula=formula,
            )


class Migration(migrations.Migration):
    dependencies = [("metrics", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

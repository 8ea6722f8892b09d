"""Back office for the 766 point table: a new rule set (with its valid_from) when VPCP changes the split."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from chinhquyenso.metrics import models
from chinhquyenso.metrics.selectors import FORMULA_KEYS


class IndexGroupInline(admin.TabularInline):
    model = models.IndexGroup
    extra = 0


@admin.register(models.IndexRuleSet)
class IndexRuleSetAdmin(admin.ModelAdmin):
    list_display = ["name", "valid_from", "valid_to", "good_threshold"]
    inlines = [IndexGroupInline]


class IndexIndicatorForm(forms.ModelForm):
    # only a formula the code knows: a misspelt key would silently show "no data"
    key = forms.ChoiceField(label=_("công thức tính"), choices=[(k, k) for k in FORMULA_KEYS])

    class Meta:
        model = models.IndexIndicator
        fields = ["group", "code", "key", "order", "name", "max_points", "target", "formula"]


@admin.register(models.IndexIndicator)
class IndexIndicatorAdmin(admin.ModelAdmin):
    form = IndexIndicatorForm
    list_display = ["code", "name", "group", "max_points", "target", "key"]
    list_filter = ["group__rule_set"]
    ordering = ["group__rule_set", "group__number", "order"]

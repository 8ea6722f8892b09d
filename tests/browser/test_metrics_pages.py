"""The leadership dashboard and the public index page in a real browser: axe-core, no CSP error (the charts
are inline SVG, no script), and a 360px-wide phone without sideways scrolling."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.test_ui_shell import axe_violations, sign_in

pytestmark = pytest.mark.browser


def test_dashboard_and_public_index_with_the_full_demo_pass_axe_and_fit_a_phone(page, transactional_db, axe_source):
    call_command("seed_demo", allow_demo_passwords=True, stdout=io.StringIO())
    call_command("refresh_metrics", stdout=io.StringIO())
    problems = {}

    def check(paths):
        for width in (1280, 360):
            page.set_viewport_size({"width": width, "height": 800})
            for path in paths:
                response = page.goto(path)
                assert response is not None and response.status == 200, path
                if width == 360:
                    widths = page.evaluate(
                        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
                    )
                    if widths[0] > widths[1]:
                        problems[f"{path} at 360px"] = f"scrolls sideways: {widths}"
                else:
                    violations = axe_violations(page, axe_source)
                    if violations:
                        problems[path] = violations

    check(["/chi-so-phuc-vu/"])
    sign_in(page, username="lanhdao_thanhpho")
    expect(page).to_have_url(re.compile(r"/can-bo/$"))
    check(["/can-bo/chi-so/?kind=year", "/can-bo/chi-so/?unit=006&kind=half&on=2024-03-01"])
    assert page.locator("svg.metrics-gauge").count() == 2
    assert problems == {}

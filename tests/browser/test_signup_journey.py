"""The sign-up journey in a real browser: pricing → sign-up (one error shown in place) →
workspace → billing shows the trial → the provider console sees the new tenant (and support
views the workspace read-only under a banner).

Screenshots of every step land in tests/artifacts/.
"""
import re
import secrets

import pyotp
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP

# One xdist worker runs every browser test, so one gunicorn and one chromium serve the lot.
pytestmark = pytest.mark.xdist_group("browser")

STAFF_PASSWORD = "console-journey-pass-7"
PASSWORD = "lantern-teapot-harbour"


@pytest.fixture
def provider_staff(app):
    email = f"support-{secrets.token_hex(3)}@provider.example"
    result = app.test_cli_runner().invoke(
        args=["provider", "create-user", email, "--role", "support", "--name", "Journey Support"],
        input=f"{STAFF_PASSWORD}\n{STAFF_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    return email


def choose_plan(page: Page, plan: str) -> None:
    card = page.get_by_test_id("plans").locator(".card").filter(
        has=page.get_by_role("heading", name=plan, exact=True))
    card.get_by_role("link", name="Start free trial").click()


def fill_signup(page: Page, slug: str, password: str) -> None:
    page.get_by_label("Company name").fill("Lantern Tea House")
    page.get_by_label("Workspace address").fill(slug)
    page.get_by_label("Your name").fill("Mei Lin")
    page.get_by_label("E-mail").fill(f"mei@{slug}.example")
    page.get_by_label("Password").fill(password)
    page.locator("#signup-form").get_by_label("Language").select_option("en")
    page.get_by_role("button", name="Start my free trial").click()


def test_pricing_signup_workspace_billing_and_console(page: Page, open_page, provider_staff, shot):
    slug = f"lantern-{secrets.token_hex(3)}"

    page.goto("/pricing")
    expect(page.get_by_role("heading", name="Pricing")).to_be_visible()
    expect(page.get_by_test_id("price-basic")).to_contain_text("199")
    shot(page, "1-pricing")
    choose_plan(page, "Basic")
    expect(page).to_have_url(re.compile(r"/signup\?.*plan=basic"))
    expect(page.get_by_label("Plan after the free trial")).to_have_value("basic")

    fill_signup(page, slug, "short")
    error = page.locator("#password-errors")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Use at least")
    expect(page.get_by_label("Password")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.get_by_label("Workspace address")).to_have_value(slug)  # the rest is kept
    shot(page, "2-signup-weak-password")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Start my free trial").click()
    expect(page).to_have_url(re.compile(rf"/t/{slug}/$"))
    page.wait_for_load_state("load")  # bootstrap's menus listen once the scripts have run
    expect(page.locator(".navbar-brand")).to_have_text("Lantern Tea House")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Mei Lin")
    shot(page, "3-workspace")

    page.locator("nav").get_by_role("button", name="Mei Lin").click()
    page.get_by_role("link", name="Billing").click()
    expect(page).to_have_url(re.compile(rf"/t/{slug}/billing/$"))
    expect(page.get_by_test_id("plan-name")).to_have_text("Basic")
    expect(page.get_by_test_id("subscription-status")).to_have_text("Trial")
    expect(page.get_by_test_id("trial-end")).to_contain_text("Your free trial ends on")
    expect(page.get_by_test_id("usage")).to_contain_text("1 / 3")
    shot(page, "4-billing-trial")
    assert not page.problems, page.problems

    console = open_page(DESKTOP)
    console.goto("/provider/login")
    console.get_by_label("E-mail").fill(provider_staff)
    console.get_by_label("Password").fill(STAFF_PASSWORD)
    console.get_by_role("button", name="Log in").click()
    secret = console.get_by_test_id("totp-secret").inner_text()  # first log-in: enrol the app
    console.get_by_label("6-digit code from your authenticator app").fill(pyotp.TOTP(secret).now())
    console.get_by_role("button", name="Continue").click()
    expect(console).to_have_url(re.compile(r"/provider/$"))
    console.get_by_label("Search").fill(slug)
    console.get_by_role("button", name="Filter").click()
    row = console.get_by_test_id("tenants").locator("tbody tr").filter(has_text=slug)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Lantern Tea House")
    shot(console, "5-console-tenants")
    row.get_by_role("link").first.click()
    expect(console.get_by_role("heading", level=1)).to_contain_text("Lantern Tea House")
    expect(console.get_by_test_id("plan")).to_have_text("Basic")
    expect(console.get_by_test_id("status")).to_have_text("Trial")
    expect(console.get_by_test_id("history")).to_contain_text("sign-up")
    shot(console, "6-console-tenant")

    support = console.get_by_test_id("action-impersonate")
    support.get_by_placeholder("Reason (required, kept in the audit trail)").fill("journey check")
    support.get_by_label("I confirm").check()
    support.get_by_role("button", name="View the workspace as a user (read-only)").click()
    expect(console).to_have_url(re.compile(rf"/t/{slug}/$"))
    banner = console.get_by_test_id("impersonation-banner")
    expect(banner).to_contain_text("Journey Support")
    expect(banner).to_contain_text(f"mei@{slug}.example")
    shot(console, "7-impersonating")
    banner.get_by_role("button", name="Stop impersonating").click()
    expect(console).to_have_url(re.compile(r"/provider/tenants/\d+$"))
    expect(console.get_by_test_id("audit")).to_contain_text("impersonate_end")
    assert not console.problems, console.problems

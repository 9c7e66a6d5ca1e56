"""A tenant's workspace in a real browser: log-in, navigation on desktop and phone,
the language switcher, log-out; with no console errors and no CSP violations.

Screenshots of every step land in tests/artifacts/.
"""
import re
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.conftest import TEST_PASSWORD

# One xdist worker runs them all, so one gunicorn and one chromium serve the lot.
pytestmark = pytest.mark.xdist_group("browser")


@pytest.fixture
def tenant(new_tenant):
    return new_tenant(name="Harbour Tea Trading", locale="en")


def owner_email(tenant) -> str:
    return f"owner@{tenant.slug}.example"


def submit_login(page: Page, email: str, password: str) -> None:
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def log_in(page: Page, tenant) -> None:
    page.goto(f"/t/{tenant.slug}/login")
    submit_login(page, owner_email(tenant), TEST_PASSWORD)
    expect(page).to_have_url(re.compile(rf"/t/{tenant.slug}/$"))
    # The URL changes before the page's scripts have run; a change event fired before
    # app.js listens (the language menu) would be lost on a busy machine.
    page.wait_for_load_state("load")


def user_menu(page: Page):
    """The navbar's user menu button, labelled with the owner's name."""
    return page.locator("nav").get_by_role("button", name="Owner")


def assert_no_horizontal_scrolling(page: Page) -> None:
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    viewport_width = page.viewport_size["width"]
    assert scroll_width <= viewport_width, (
        f"{page.url} scrolls sideways: content {scroll_width}px wide, viewport {viewport_width}px")


def test_desktop_login_my_day_and_logout(page: Page, tenant, shot):
    page.goto(f"/t/{tenant.slug}/")
    expect(page).to_have_url(re.compile(rf"/t/{tenant.slug}/login\b"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    shot(page, "1-redirected-to-login")

    submit_login(page, owner_email(tenant), "not-the-password")
    password = page.get_by_label("Password")
    error = page.locator("#password-errors")
    expect(error).to_have_text("Wrong e-mail or password.")
    expect(error).to_be_visible()
    expect(password).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(password).to_have_attribute("aria-describedby", "password-errors")
    field_box, error_box = password.bounding_box(), error.bounding_box()
    assert 0 <= error_box["y"] - (field_box["y"] + field_box["height"]) < 20, "error not under the field"
    assert abs(error_box["x"] - field_box["x"]) < 2, "error not aligned with the field"
    shot(page, "2-wrong-password")

    submit_login(page, owner_email(tenant), TEST_PASSWORD)
    expect(page).to_have_url(re.compile(rf"/t/{tenant.slug}/$"))
    expect(page.locator(".navbar-brand")).to_have_text("Harbour Tea Trading")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Owner")
    # A new, empty workspace: My day shows the first steps to set it up.
    steps = page.get_by_test_id("first-steps")
    expect(steps.get_by_role("listitem")).to_have_count(3)
    expect(steps).to_contain_text("Invite your colleagues")
    # Wide screen: the navigation is laid out, no toggler.
    expect(page.locator("nav").get_by_role("link", name="My day")).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    assert_no_horizontal_scrolling(page)
    shot(page, "3-my-day")

    user_menu(page).click()
    expect(page.get_by_text(owner_email(tenant))).to_be_visible()
    shot(page, "4-user-menu")
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(rf"/t/{tenant.slug}/login$"))
    expect(page.get_by_role("alert")).to_have_text("You are logged out.")
    shot(page, "5-logged-out")

    page.goto(f"/t/{tenant.slug}/")
    expect(page).to_have_url(re.compile(rf"/t/{tenant.slug}/login\b"))


def test_phone_navigation_hides_behind_the_toggler(phone: Page, tenant, shot):
    phone.goto(f"/t/{tenant.slug}/login")
    assert_no_horizontal_scrolling(phone)
    shot(phone, "1-login")

    log_in(phone, tenant)
    nav = phone.locator("nav")
    toggler = nav.get_by_role("button", name="Menu")
    dashboard_link = nav.get_by_role("link", name="My day")
    expect(toggler).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "false")
    expect(dashboard_link).to_be_hidden()
    expect(user_menu(phone)).to_be_hidden()
    expect(phone.get_by_test_id("first-steps")).to_contain_text("Import your customers")
    assert_no_horizontal_scrolling(phone)
    shot(phone, "2-my-day-collapsed")

    toggler.tap()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(nav.locator(".navbar-collapse")).to_have_class(re.compile(r"\bshow\b"))  # slid open
    expect(dashboard_link).to_be_visible()
    expect(nav.get_by_label("Language")).to_be_visible()
    expect(user_menu(phone)).to_be_visible()
    assert_no_horizontal_scrolling(phone)
    shot(phone, "3-menu-open")

    user_menu(phone).tap()
    log_out = phone.get_by_role("button", name="Log out")
    expect(log_out).to_be_visible()
    assert_no_horizontal_scrolling(phone)
    shot(phone, "4-user-menu")

    log_out.tap()
    expect(phone).to_have_url(re.compile(rf"/t/{tenant.slug}/login$"))
    expect(phone.get_by_role("alert")).to_have_text("You are logged out.")


def test_language_switcher_reloads_the_page_in_traditional_chinese(page: Page, tenant, shot):
    log_in(page, tenant)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    english_heading = page.get_by_role("heading", level=1).inner_text()
    english_nav = page.locator("nav").inner_text()

    language = page.locator("form[data-autosubmit] select")
    language.select_option(label="繁體中文")  # app.js submits the form on change

    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")
    expect(page).to_have_url(re.compile(rf"/t/{tenant.slug}/$"))
    expect(language).to_have_value("zh_Hant")
    heading = page.get_by_role("heading", level=1)
    expect(heading).not_to_have_text(english_heading)
    expect(heading).to_have_text("歡迎，Owner")
    assert page.locator("nav").inner_text() != english_nav
    shot(page, "traditional-chinese")

    # The choice sticks for the session.
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_console_errors_or_csp_violations(open_page, tenant, device):
    """Every step of a visit, with the strict CSP (no inline scripts or styles) in force."""
    page = open_page(device)
    page.goto(f"/t/{tenant.slug}/")
    submit_login(page, owner_email(tenant), "not-the-password")
    expect(page.locator("#password-errors")).to_be_visible()
    submit_login(page, owner_email(tenant), TEST_PASSWORD)
    expect(page).to_have_url(re.compile(rf"/t/{tenant.slug}/$"))
    page.wait_for_load_state("load")  # bootstrap listens for clicks once its script has run
    if device is PHONE:  # the collapsed navigation: open it and wait until it is shown
        toggler = page.get_by_role("button", name="Menu")
        toggler.click()
        expect(toggler).to_have_attribute("aria-expanded", "true")
        expect(page.locator(".navbar-collapse")).to_have_class(re.compile(r"\bshow\b"))
    expect(user_menu(page)).to_be_visible()
    user_menu(page).click()  # bootstrap's JavaScript runs
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.locator("form[data-autosubmit] select").select_option("zh_Hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    assert page.problems == [], "the browser reported:\n" + "\n".join(page.problems)


def test_the_favicon_is_served(page: Page, tenant):
    """Browsers fetch the page's icon (or /favicon.ico) on a first visit; a 404 is a console error."""
    page.goto(f"/t/{tenant.slug}/login")
    icon = page.locator("link[rel~='icon']")
    href = icon.first.get_attribute("href") if icon.count() else "/favicon.ico"
    if not href.startswith("data:"):
        response = page.request.get(urljoin(page.url, href))
        assert response.ok, f"the favicon {href} answers {response.status}"


def test_the_watch_does_catch_a_csp_violation(page: Page, tenant):
    """Guards the test above: an inline script is refused by the CSP and we hear of it."""
    page.goto(f"/t/{tenant.slug}/login")
    with page.expect_console_message(lambda msg: "Content Security Policy" in msg.text):
        page.evaluate("""() => {
            const script = document.createElement("script");
            script.textContent = "window.inlineRan = true";
            document.body.append(script);
        }""")
    assert page.evaluate("window.inlineRan") is None
    assert any("Content Security Policy" in problem and "inline script" in problem
               for problem in page.problems), page.problems

"""The @mention autocomplete in a real browser: typing @ and a few letters lists colleagues
who may see the record, picking one inserts the mention, and the comment shows it."""
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_workspace import log_in
from tests.conftest import add_user
from tests.timeline.world import make_world

pytestmark = pytest.mark.xdist_group("browser")


@pytest.fixture
def tenant(new_tenant):
    return new_tenant(name="Harbour Tea Trading", locale="en")


def test_a_rep_mentions_a_manager_picked_from_the_list(app, page: Page, tenant, shot):
    world = make_world(app, tenant)
    add_user(app, tenant, "admin", name="Boss Chen")
    add_user(app, tenant, "sales_rep", name="Bob Outsider")  # cannot see the owner's deal
    log_in(page, tenant)
    page.goto(f"/t/{tenant.slug}/opportunities/{world.opportunity_id}")
    box = page.get_by_placeholder("Write a comment; type @ to mention a colleague")
    box.click()
    box.press_sequentially("Please check @Bo")
    choices = page.locator(".mention-choices button")
    expect(choices).to_have_count(1)
    expect(choices.first).to_have_text("Boss Chen")
    shot(page, "choices")
    choices.first.dispatch_event("mousedown")
    expect(box).to_have_value(re.compile(r"^Please check @\[Boss Chen\]\(user:\d+\) $"))
    box.press_sequentially("the discount")
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(page.locator('[data-testid="comment"]').first).to_have_text(
        "Please check @Boss Chen the discount")
    expect(page.locator(".mention").first).to_have_text("@Boss Chen")
    shot(page, "posted")
    assert page.problems == []

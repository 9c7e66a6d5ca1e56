"""Every state-changing workspace route is driven for real by a role allowed to use it.

EXERCISED names, for each POST endpoint, one test that posts to it as a user
whose role may, and checks the effect. While that test runs, the app's
`request_finished` signal records every POST; at its end the test fails unless
the endpoint answered it with a success (2xx or a redirect). A new POST route
must get a line here (tests/test_exercised_routes.py fails otherwise).

Browser tests are not named here: they reach gunicorn, another process.
"""
from flask import request, request_finished

EXERCISED = {
    "workspace.notifications.mark_read": "tests/notifications/test_notifications.py::test_unread_count_mark_read_and_mark_all_read",
    "workspace.notifications.mark_all_read": "tests/notifications/test_notifications.py::test_unread_count_mark_read_and_mark_all_read",
    "workspace.notifications.preferences": "tests/notifications/test_notifications.py::test_preferences_send_each_event_in_the_app_by_mail_both_or_not_at_all",
    "workspace.announcements.new": "tests/notifications/test_announcements.py::test_an_announcement_to_a_unit_reaches_only_that_unit_and_the_units_below",
    "workspace.announcements.dismiss": "tests/notifications/test_announcements.py::test_an_announcement_to_a_unit_reaches_only_that_unit_and_the_units_below",
    "workspace.announcements.edit": "tests/notifications/test_announcements.py::test_admins_edit_and_delete_and_bad_input_comes_back_with_its_error",
    "workspace.announcements.delete": "tests/notifications/test_announcements.py::test_admins_edit_and_delete_and_bad_input_comes_back_with_its_error",
    "workspace.customer_team.add_member": "tests/teams/test_teams.py::test_a_rep_added_to_the_team_sees_the_customer_everywhere_until_removed",
    "workspace.customer_team.remove_member": "tests/teams/test_teams.py::test_a_rep_added_to_the_team_sees_the_customer_everywhere_until_removed",
    "workspace.customer_team.share": "tests/teams/test_teams.py::test_a_share_with_a_unit_reaches_its_members_and_the_units_below_only",
    "workspace.customer_team.unshare": "tests/teams/test_teams.py::test_a_share_with_a_unit_reaches_its_members_and_the_units_below_only",
    "workspace.deal_team.add_member_to_deal": "tests/teams/test_teams.py::test_a_deal_team_member_sees_the_deal_and_its_board_card_but_not_the_customer",
    "workspace.deal_team.remove_member_from_deal": "tests/teams/test_teams.py::test_a_deal_team_member_sees_the_deal_and_its_board_card_but_not_the_customer",
    "workspace.deal_team.share_deal": "tests/teams/test_teams.py::test_a_deal_team_member_sees_the_deal_and_its_board_card_but_not_the_customer",
    "workspace.deal_team.unshare_deal": "tests/teams/test_teams.py::test_a_deal_team_member_sees_the_deal_and_its_board_card_but_not_the_customer",
    "workspace.activity.add_comment": "tests/timeline/test_comments.py::test_a_mentioned_colleague_is_notified_once",
    "workspace.activity.edit_comment": "tests/timeline/test_comments.py::test_a_mentioned_colleague_is_notified_once",
    "workspace.activity.delete_comment": "tests/timeline/test_comments.py::test_deleting_a_comment_removes_its_mentions",
    "workspace.activity.follow": "tests/timeline/test_comments.py::test_owners_follow_their_records_and_followers_hear_of_activity",
    "workspace.activity.unfollow": "tests/timeline/test_comments.py::test_owners_follow_their_records_and_followers_hear_of_activity",
    "workspace.branding.edit": "tests/branding/test_branding.py::test_outgoing_mail_carries_the_footer",
    "workspace.mail.retry": "tests/mail/test_admin_outbox.py::test_an_admin_retries_and_discards_failed_mail",
    "workspace.mail.discard": "tests/mail/test_admin_outbox.py::test_an_admin_retries_and_discards_failed_mail",
    "workspace.export.start": "tests/export/test_export.py::test_only_admins_export",
    "workspace.customfields.edit": "tests/test_workspace_writes_sales.py::test_an_admin_relabels_a_custom_field",
    "workspace.automation.new": "tests/automation/test_admin_pages.py::test_an_admin_creates_a_rule_and_sees_it_listed",
    "workspace.automation.edit": "tests/automation/test_admin_pages.py::test_an_admin_edits_switches_and_deletes_a_rule",
    "workspace.automation.switch": "tests/automation/test_admin_pages.py::test_an_admin_edits_switches_and_deletes_a_rule",
    "workspace.automation.delete": "tests/automation/test_admin_pages.py::test_an_admin_edits_switches_and_deletes_a_rule",
    "workspace.customfields.new": "tests/customers/test_custom_fields.py::test_a_user_field_shows_the_users_name",
    "workspace.admin.resend_invitation": "tests/admin/test_invitations.py::test_resend_replaces_the_link_and_revoke_kills_it",
    "workspace.admin.revoke_invitation": "tests/admin/test_invitations.py::test_resend_replaces_the_link_and_revoke_kills_it",
    "workspace.admin.edit_role": "tests/admin/test_roles.py::test_copy_a_role_and_adjust_it",
    "workspace.admin.copy": "tests/admin/test_roles.py::test_copy_a_role_and_adjust_it",
    "workspace.admin.edit_stage": "tests/admin/test_stages.py::test_won_and_lost_can_be_renamed_but_keep_their_probability",
    "workspace.admin.move_stage": "tests/admin/test_stages.py::test_won_lost_and_the_edges_do_not_move",
    "workspace.admin.remove_stage": "tests/admin/test_stages.py::test_a_deal_cannot_be_moved_into_a_removed_stage",
    "workspace.admin.retry_job": "tests/scheduler/test_job_pages.py::test_a_tenant_admin_sees_and_retries_a_stopped_handler_of_their_tenant_only",
    "workspace.admin.new_stage": "tests/admin/test_stages.py::test_removing_an_empty_stage_keeps_its_row_for_history",
    "workspace.admin.edit_unit": "tests/admin/test_units.py::test_a_store_moves_to_another_region",
    "workspace.admin.new_unit": "tests/admin/test_units.py::test_a_store_moves_to_another_region",
    "workspace.admin.user": "tests/admin/test_users.py::test_user_gets_a_unit_and_role",
    "workspace.admin.deactivate": "tests/admin/test_users.py::test_deactivating_ends_sessions_keeps_the_account",
    "workspace.admin.reactivate": "tests/admin/test_users.py::test_deactivating_ends_sessions_keeps_the_account",
    "workspace.admin.reassign": "tests/admin/test_users.py::test_records_are_reassigned_in_bulk",
    "workspace.admin.reset_password": "tests/admin/test_users.py::test_admin_mails_a_reset_link",
    "workspace.admin.invite": "tests/admin/test_invitations.py::test_invitee_sets_name_and_password_and_is_in",
    "workspace.approvals.decide": "tests/sales/test_approvals.py::test_approving_through_the_waiting_list_page",
    "workspace.approvals.rules": "tests/test_workspace_writes_sales.py::test_an_admin_adds_and_changes_an_approval_rule",
    "workspace.approvals.edit_rule": "tests/test_workspace_writes_sales.py::test_an_admin_adds_and_changes_an_approval_rule",
    "workspace.attachments.upload": "tests/customers/test_attachments.py::test_removed_files_are_gone",
    "workspace.attachments.delete": "tests/customers/test_attachments.py::test_removed_files_are_gone",
    "workspace.billing.cancel": "tests/billing/test_workspace_billing.py::test_cancel_at_period_end_and_undo",
    "workspace.billing.pay_invoice": "tests/billing/test_workspace_billing.py::test_the_admin_pays_an_open_invoice_through_stripe_checkout",
    "workspace.billing.pay": "tests/billing/test_seats.py::test_stripe_checkout_carries_the_extra_seats",
    "workspace.billing.change_plan": "tests/billing/test_stripe_plan_changes.py::test_stripe_down_says_so_and_changes_nothing",
    "workspace.billing.change_seats": "tests/billing/test_seats.py::test_lowering_below_the_active_users_is_refused",
    "workspace.competitors.upload_attachment": "tests/sales/test_competitor_attachments.py::test_removing_a_file_frees_its_storage",
    "workspace.competitors.remove_attachment": "tests/sales/test_competitor_attachments.py::test_removing_a_file_frees_its_storage",
    "workspace.competitors.edit": "tests/test_workspace_writes_sales.py::test_a_rep_edits_a_competitor",
    "workspace.competitors.swot": "tests/sales/test_competitors.py::test_the_swot_form_and_the_report_page",
    "workspace.competitors.new": "tests/sales/test_competitor_attachments.py::test_removing_a_file_frees_its_storage",
    "workspace.contacts.delete": "tests/test_workspace_writes.py::test_a_service_agent_edits_a_contact_a_manager_deletes_one",
    "workspace.contacts.edit": "tests/test_workspace_writes.py::test_a_service_agent_edits_a_contact_a_manager_deletes_one",
    "workspace.contacts.new": "tests/customers/test_pages.py::test_a_leaving_reps_customers_and_contacts_go_to_their_successor",
    "workspace.customers.addresses": "tests/customers/test_pages.py::test_three_addresses_are_kept_and_a_cleared_one_removed",
    "workspace.customers.delete": "tests/test_workspace_writes.py::test_a_manager_deletes_a_customer_and_it_leaves_the_list",
    "workspace.customers.edit": "tests/test_workspace_writes.py::test_a_rep_edits_their_customer",
    "workspace.customers.merge": "tests/test_workspace_writes.py::test_a_rep_merges_a_duplicate_and_its_contacts_follow",
    "workspace.customers.add_to_timeline": "tests/customers/test_pages.py::test_quick_actions_land_on_the_timeline",
    "workspace.customers.bulk": "tests/customers/test_pages.py::test_bulk_tag_and_delete_with_confirmation",
    "workspace.customers.new": "tests/customers/test_attachments.py::test_removed_files_are_gone",
    "workspace.forecast.set_rate": "tests/test_workspace_writes_sales.py::test_an_admin_sets_and_removes_an_exchange_rate",
    "workspace.forecast.remove_rate": "tests/test_workspace_writes_sales.py::test_an_admin_sets_and_removes_an_exchange_rate",
    "workspace.imports.upload": "tests/customers/test_pages.py::test_import_through_the_pages",
    "workspace.imports.mapping": "tests/customers/test_pages.py::test_import_through_the_pages",
    "workspace.imports.sheet": "tests/imports/test_customer_extras.py::test_a_workbook_with_several_sheets_asks_which_one",
    "workspace.profile.end_session": "tests/auth/test_sessions.py::test_the_profile_lists_sessions_and_ends_another_one",
    "workspace.profile.end_other_sessions": "tests/auth/test_sessions.py::test_log_out_everywhere_else_keeps_this_browser",
    "workspace.auth.accept_invitation": "tests/admin/test_invitations.py::test_invitee_sets_name_and_password_and_is_in",
    "workspace.tasks.new": "tests/tasks/test_task_pages.py::test_a_task_is_created_with_its_due_time_read_in_the_users_zone",
    "workspace.tasks.edit": "tests/tasks/test_task_pages.py::test_edit_done_undone_and_delete_through_the_pages",
    "workspace.tasks.done": "tests/tasks/test_task_pages.py::test_edit_done_undone_and_delete_through_the_pages",
    "workspace.tasks.undone": "tests/tasks/test_task_pages.py::test_edit_done_undone_and_delete_through_the_pages",
    "workspace.tasks.delete": "tests/tasks/test_task_pages.py::test_edit_done_undone_and_delete_through_the_pages",
    "workspace.lists.save": "tests/customers/test_pages.py::test_saved_views_reopen_their_filters",
    "workspace.lists.delete": "tests/sales/test_order_export.py::test_a_saved_view_of_the_order_list_reopens_its_filters",
    "workspace.auth.login": "tests/auth/test_login.py::test_logout_ends_the_session",
    "workspace.auth.second_factor": "tests/profile/test_profile.py::test_a_recovery_code_works_once",
    "workspace.auth.logout": "tests/auth/test_login.py::test_logout_ends_the_session",
    "workspace.opportunities.edit": "tests/sales/test_opportunity_custom_fields.py::test_the_edit_form_shows_and_changes_stored_values",
    "workspace.opportunities.move": "tests/sales/test_opportunities.py::test_the_board_shows_only_visible_deals_and_drag_moves_with_json",
    "workspace.opportunities.new": "tests/sales/test_opportunity_custom_fields.py::test_the_data_export_holds_the_custom_values",
    "workspace.auth.forgot_password": "tests/auth/test_login.py::test_password_reset_by_mailed_link",
    "workspace.auth.reset_password": "tests/auth/test_login.py::test_password_reset_by_mailed_link",
    "workspace.products.archive": "tests/test_workspace_writes_sales.py::test_a_manager_archives_and_restores_a_product",
    "workspace.products.edit": "tests/sales/test_product_images.py::test_the_thumbnail_counts_towards_the_storage_limit",
    "workspace.products.restore": "tests/test_workspace_writes_sales.py::test_a_manager_archives_and_restores_a_product",
    "workspace.products.new": "tests/customers/test_pages.py::test_the_search_box_also_finds_products",
    "workspace.products.price_list": "tests/test_workspace_writes_sales.py::test_a_manager_builds_a_price_list_sets_and_removes_a_price",
    "workspace.products.remove_item": "tests/test_workspace_writes_sales.py::test_a_manager_builds_a_price_list_sets_and_removes_a_price",
    "workspace.products.new_price_list": "tests/test_workspace_writes_sales.py::test_a_manager_builds_a_price_list_sets_and_removes_a_price",
    "workspace.profile.edit": "tests/profile/test_profile.py::test_profile_details_are_saved_and_checked",
    "workspace.profile.password": "tests/profile/test_profile.py::test_changing_the_password_ends_other_sessions_only",
    "workspace.profile.disable_two_factor": "tests/profile/test_profile.py::test_two_factor_can_be_turned_off_with_the_password",
    "workspace.profile.enable_two_factor": "tests/profile/test_profile.py::test_a_recovery_code_works_once",
    "workspace.quotes.accept": "tests/test_workspace_writes.py::test_a_rep_marks_a_quote_accepted_and_an_order_is_made",
    "workspace.quotes.edit": "tests/test_workspace_writes_sales.py::test_a_rep_edits_a_quote_and_a_sent_one_becomes_a_new_version",
    "workspace.quotes.reject": "tests/test_workspace_writes.py::test_a_rep_marks_a_quote_rejected_with_the_reason_on_the_timeline",
    "workspace.quotes.revise": "tests/test_workspace_writes.py::test_a_rep_revises_a_sent_quote_into_a_new_draft_version",
    "workspace.quotes.send": "tests/documents/test_pdf.py::test_sending_a_quote_attaches_its_pdf",
    "workspace.quotes.submit": "tests/documents/test_pdf.py::test_sending_a_quote_attaches_its_pdf",
    "workspace.quotes.new": "tests/sales/test_quotes.py::test_the_editor_shows_bad_lines_again_with_422_and_saves_nothing",
    "workspace.calendar.new": "tests/calendar/test_meetings.py::test_a_rep_plans_a_visit_with_a_contact_and_sees_it_in_the_week",
    "workspace.calendar.edit": "tests/calendar/test_meetings.py::test_edit_hold_once_and_cancel",
    "workspace.calendar.held": "tests/calendar/test_meetings.py::test_edit_hold_once_and_cancel",
    "workspace.calendar.cancel": "tests/calendar/test_meetings.py::test_edit_hold_once_and_cancel",
    "workspace.calendar.new_feed": "tests/calendar/test_feed.py::test_the_feed_lists_meetings_and_dated_tasks_and_a_new_address_revokes_the_old",
    "workspace.calendar.settings": "tests/calendar/test_weekly_and_agenda.py::test_the_daily_agenda_goes_once_each_local_morning_to_who_opted_in",
    "workspace.calendar.weekly_report": "tests/calendar/test_weekly_and_agenda.py::test_a_rep_edits_and_sends_the_report_to_the_manager",
    "workspace.calendar.reminder_settings": "tests/calendar/test_weekly_and_agenda.py::test_an_admin_sets_the_quiet_deal_days",
}

_posts: list[tuple[str, int]] = []


def _record(sender, response, **extra):
    if request.method == "POST" and request.endpoint:
        # Flask-Login's answer to nobody logged in is a redirect to the log-in page with
        # ?next=: a refusal, not a success.
        refused = response.status_code >= 400 or "next=" in (response.location or "")
        _posts.append((request.endpoint, 400 if refused else response.status_code))


request_finished.connect(_record)


def tests_of(endpoints: dict) -> dict[str, list[str]]:
    """test reference → the endpoints it must drive."""
    by_test: dict[str, list[str]] = {}
    for endpoint, test in endpoints.items():
        by_test.setdefault(test, []).append(endpoint)
    return by_test


BY_TEST = tests_of(EXERCISED)


def reference(item) -> str:
    """tests/x/test_y.py::test_name (parameters dropped) of a pytest item."""
    path = item.nodeid.split("::")[0]
    return f"{path}::{getattr(item, 'originalname', item.name)}"


def start() -> None:
    _posts.clear()


def missing(item) -> list[str]:
    """The endpoints this test should have driven with a success and did not."""
    wanted = BY_TEST.get(reference(item), [])
    succeeded = {endpoint for endpoint, status in _posts if status < 400}
    return [endpoint for endpoint in wanted if endpoint not in succeeded]


def record_to(path) -> None:
    """KEHU_RECORD_POSTS=file: append "endpoint status test" lines (to fill EXERCISED)."""
    import os

    target = os.environ.get("KEHU_RECORD_POSTS")
    if target:
        with open(target, "a") as out:
            out.writelines(f"{endpoint} {status} {path}\n" for endpoint, status in _posts)

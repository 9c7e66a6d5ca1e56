"""Task pages: the lists (mine, team, overdue, all), export, new, edit, show, done, delete."""
from datetime import datetime, timezone

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import format_date, gettext as _
from flask_login import current_user

from app.access.permissions import requires
from app.access.visibility import find_visible, visible_or_404
from app.auth.models import User
from app.extensions import db
from app.timeline.activity import activity_for
from app.i18n import select_timezone, workspace_today
from app.lists.export import export_response, requested_format
from app.lists.page import list_page
from app.lists.spec import apply_filters, sort_of
from app.records import find_record, is_record_type, record_title
from app.safe_redirect import safe_next
from app.selects import select_choices
from app.tasks import completion, services
from app.tasks.forms import TaskForm
from app.tasks.helpers import template_helpers
from app.tasks.listing import SCOPES, TASK_LIST, scoped_query
from app.tasks.models import Task

bp = Blueprint("tasks", __name__, url_prefix="/tasks")
bp.app_context_processor(template_helpers)  # record pages include templates/tasks/_panel.html

EXPORT_LIMIT = 200_000


def _scope() -> str:
    scope = request.args.get("scope", "mine")
    return scope if scope in SCOPES else "mine"


def _owner_names() -> list:
    rows = db.session.execute(sa.select(User.id, User.name, User.active).order_by(User.name)).all()
    g.task_owner_names = {row.id: row.name for row in rows}
    return [(row.id, row.name) for row in rows if row.active]


@bp.get("/")
@requires("tasks", "view")
def index():
    if not request.args:  # the menu's link: my open tasks
        return redirect(url_for("workspace.tasks.index", scope="mine", status="open"))
    scope = _scope()
    stmt = scoped_query(current_user, scope, workspace_today(), datetime.now(timezone.utc))
    return list_page(TASK_LIST, stmt, "tasks/index.html", "tasks", scope=scope, scopes=SCOPES,
                     owners=_owner_names(), now=datetime.now(timezone.utc),
                     today=workspace_today())


@bp.get("/export")
@requires("tasks", "export")
def export():
    fmt = requested_format()
    scope = _scope()
    stmt, _problems, _active = apply_filters(TASK_LIST, scoped_query(
        current_user, scope, workspace_today(), datetime.now(timezone.utc)), request.args)
    _key, sort_expr, descending = sort_of(TASK_LIST, request.args.get("sort"))
    stmt = stmt.order_by(sort_expr.desc() if descending else sort_expr, Task.id)
    over = db.session.scalar(sa.select(sa.func.count()).select_from(
        stmt.with_only_columns(Task.id).order_by(None).limit(EXPORT_LIMIT + 1).subquery()))
    if over > EXPORT_LIMIT:
        flash(_("This list has more than %(max)s tasks and an export holds at most %(max)s. "
                "Narrow the filters and export it in parts.", max=f"{EXPORT_LIMIT:,}"), "warning")
        return redirect(url_for("workspace.tasks.index", scope=scope))
    _owner_names()
    columns = TASK_LIST.column_keys(request.args.getlist("col"))
    return export_response(fmt, "tasks", columns, db.session.scalars(stmt), scope=scope)


def _related_from_request():
    """The (type, record) named by ?related_type=&related_id= (or the form), 404 if the user
    may not see it; None when nothing is named."""
    key = request.values.get("related_type") or None
    record_id = request.values.get("related_id", type=int)
    if key is None and record_id is None:
        return None
    record = find_record(key, record_id, current_user) if is_record_type(key) else None
    if record is None:
        abort(404)
    return key, record


def _form(task: Task | None) -> TaskForm:
    form = TaskForm(obj=task) if task is not None else TaskForm(owner=current_user.id)
    form.owner.choices = select_choices(_owner_names())
    if task is not None and not form.is_submitted():
        zone = select_timezone()
        form.owner.data = task.owner_id
        form.due_time.data = services.local_naive(task.due_at, zone).time() if task.due_at else None
        form.remind_at.data = services.local_naive(task.remind_at, zone) if task.remind_at else None
        form.fill_rule(task.recurrence)
    return form


def _edit_page(task: Task | None, related=None):
    form = _form(task)
    back = safe_next(request.values.get("next"), "")
    if form.validate_on_submit() and (values := form.values(select_timezone(), related)):
        try:
            if task is None:
                task = services.create_task(values, current_user.id)
            else:
                services.update_task(task, values, current_user.id)
        except services.TaskError as error:
            form[{"owner_id": "owner"}.get(error.field, error.field)].errors.append(
                str(error.message))
        else:
            _say_saved(task)
            return redirect(back or _after_save(task))
    status = 422 if form.is_submitted() else 200
    return render_template("tasks/form.html", form=form, task=task, back=back,
                           related=related, related_title=related and record_title(*related)), status


def _say_saved(task: Task) -> None:
    if services.is_overdue(task, workspace_today(), datetime.now(timezone.utc)):
        flash(_("The task is saved. Its due date has already passed: it shows as overdue."),
              "warning")
    else:
        flash(_("The task is saved."), "success")


def _after_save(task: Task) -> str:
    if find_visible(Task, task.id, current_user) is None:  # given to someone this user cannot see
        return url_for("workspace.tasks.index")
    return url_for("workspace.tasks.show", task_id=task.id)


@bp.route("/new", methods=["GET", "POST"])
@requires("tasks", "create")
def new():
    return _edit_page(None, _related_from_request())


@bp.route("/<int:task_id>/edit", methods=["GET", "POST"])
@requires("tasks", "edit")
def edit(task_id):
    return _edit_page(visible_or_404(Task, task_id))


@bp.get("/<int:task_id>")
@requires("tasks", "view")
def show(task_id):
    task = visible_or_404(Task, task_id)
    return render_template(
        "tasks/show.html", task=task, owner=db.session.get(User, task.owner_id),
        related=services.related_record(task, current_user),
        overdue=services.is_overdue(task, workspace_today(), datetime.now(timezone.utc)),
        activity=activity_for("task", task.id))


@bp.post("/<int:task_id>/done")
@requires("tasks", "edit")
def done(task_id):
    task = visible_or_404(Task, task_id)
    following = completion.complete(task, current_user.id, services.zone_of(task.owner_id))
    flash(_("Done: %(title)s.", title=task.title), "success")
    if following is not None:
        flash(_("The next one is due on %(day)s.", day=format_date(following.due_date)), "info")
    return redirect(safe_next(request.form.get("next"),
                              url_for("workspace.tasks.show", task_id=task.id)))


@bp.post("/<int:task_id>/undone")
@requires("tasks", "edit")
def undone(task_id):
    task = visible_or_404(Task, task_id)
    if completion.reopen(task):
        flash(_("The task is open again."), "success")
    return redirect(safe_next(request.form.get("next"),
                              url_for("workspace.tasks.show", task_id=task.id)))


@bp.post("/<int:task_id>/delete")
@requires("tasks", "delete")
def delete(task_id):
    task = visible_or_404(Task, task_id)
    services.delete_task(task)
    flash(_("The task is deleted."), "success")
    return redirect(safe_next(request.form.get("next"), url_for("workspace.tasks.index")))

"""Contact pages: list, create, edit, show, delete."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.access.permissions import requires
from app.access.visibility import editable_or_403, visible_or_404
from app.contacts import services
from app.contacts.forms import ContactForm
from app.customfields.forms import fill_custom, with_custom_fields
from app.customfields.services import fields_of
from app.contacts.listing import CONTACT_LIST, live_contacts_query
from app.contacts.models import Contact
from app.lists.page import flash_limit, list_page
from billing.limits import LimitReached

bp = Blueprint("contacts", __name__, url_prefix="/contacts")


@bp.get("/")
@requires("contacts", "view")
def index():
    stmt = live_contacts_query(current_user).options(selectinload(Contact.customer))
    return list_page(CONTACT_LIST.with_custom_fields(fields_of("contacts")), stmt,
                     "contacts/list.html", "contacts")


def _save(form, contact):
    try:
        if contact is None:
            contact = services.create_contact(form.cleaned(), current_user.id, current_user.unit_id,
                                              viewer=current_user)
        else:
            services.update_contact(contact, form.cleaned(), viewer=current_user)
    except services.ContactError as error:
        form[error.field].errors.append(error.message)
        return None
    except LimitReached as limit:
        flash_limit(limit)
        return None
    flash(_("Contact %(name)s saved.", name=contact.name), "success")
    return redirect(url_for("workspace.contacts.show", contact_id=contact.id))


@bp.route("/new", methods=["GET", "POST"])
@requires("contacts", "create")
def new():
    form = with_custom_fields(ContactForm, "contacts")()
    if request.method == "GET" and request.args.get("customer_code"):
        form.customer_code.data = request.args["customer_code"]
    if form.validate_on_submit():
        response = _save(form, None)
        if response is not None:
            return response
    return render_template("contacts/form.html", form=form, contact=None), (
        422 if form.is_submitted() else 200)


@bp.get("/<int:contact_id>")
@requires("contacts", "view")
def show(contact_id):
    from app.attachments.services import attachments_of
    from app.timeline.activity import activity_for

    return render_template("contacts/show.html", contact=visible_or_404(Contact, contact_id),
                           attachments=attachments_of(contact_id=contact_id),
                           custom_fields=fields_of("contacts"),
                           activity=activity_for("contact", contact_id))


@bp.route("/<int:contact_id>/edit", methods=["GET", "POST"])
@requires("contacts", "edit")
def edit(contact_id):
    contact = editable_or_403(Contact, contact_id)
    form = with_custom_fields(ContactForm, "contacts")(obj=contact)
    if request.method == "GET":
        fill_custom(form, contact)
        if contact.customer:
            form.customer_code.data = contact.customer.code
    if form.validate_on_submit():
        response = _save(form, contact)
        if response is not None:
            return response
    return render_template("contacts/form.html", form=form, contact=contact), (
        422 if form.is_submitted() else 200)


@bp.post("/<int:contact_id>/delete")
@requires("contacts", "delete")
def delete(contact_id):
    contact = editable_or_403(Contact, contact_id)
    services.soft_delete([contact.id])
    flash(_("Contact %(name)s deleted.", name=contact.name), "success")
    return redirect(url_for("workspace.contacts.index"))

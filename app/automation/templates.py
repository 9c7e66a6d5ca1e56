"""Rule templates (e-mail subject and text, task titles): Jinja in a sandbox.

An admin writes "{{ record.name }}"; the template sees plain values only (a dict of
the record's catalogue fields, the rule's name), never ORM objects, and the
sandbox refuses underscore attributes such as __class__, so a template cannot
reach the application, the database or another tenant.
"""
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from app.automation.fields import as_text, fields_of

_env = SandboxedEnvironment(autoescape=False, undefined=StrictUndefined)
MAX_LENGTH = 20_000


class TemplateProblem(ValueError):
    pass


def check(source: str) -> None:
    """TemplateProblem for a template that does not parse."""
    try:
        _env.parse(source or "")
    except TemplateError as error:
        raise TemplateProblem(str(error))


def render(source: str, context: dict) -> str:
    try:
        return _env.from_string(source or "").render(**context)[:MAX_LENGTH]
    except TemplateError as error:  # SecurityError and UndefinedError are TemplateErrors
        raise TemplateProblem(str(error))


def context_for(rule, type_key: str, record, title: str) -> dict:
    values = {key: as_text(getattr(record, key)) for key in fields_of(type_key)}
    values.update(id=record.id, title=title, name=values.get("name") or title)
    return {"record": values, "rule": {"name": rule.name}}

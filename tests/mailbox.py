"""Reading what the app "sent" from the test mail sink."""
import email
import email.policy
import re
from pathlib import Path


def latest_mail(app, to):
    sink = Path(app.config["MAIL_SINK_DIR"])
    mails = sorted(sink.glob(f"*-{to.replace('@', '_at_')}.eml"))
    if not mails:
        return None
    message = email.message_from_bytes(mails[-1].read_bytes(), policy=email.policy.default)
    return message.get_body(preferencelist=("plain",)).get_content()


def mail_count(app, to) -> int:
    return len(list(Path(app.config["MAIL_SINK_DIR"]).glob(f"*-{to.replace('@', '_at_')}.eml")))


def link_path(mail_text, kind):
    return re.search(rf"http://[^/]+(/t/[^\s]+/{kind}/[^\s]+)", mail_text).group(1)

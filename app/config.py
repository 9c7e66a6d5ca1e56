"""Configuration read from the environment.

Secrets have no default: in development a random SECRET_KEY is generated once
and kept under instance/, so sessions survive restarts without anyone
committing a key.
"""
import os
import secrets
from datetime import timedelta
from pathlib import Path


def _instance_secret(instance_path: Path) -> str:
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _list(raw: str | None) -> list[str] | None:
    """"a.example, b.example" → ["a.example", "b.example"]; unset or empty → None."""
    items = [item.strip() for item in (raw or "").split(",") if item.strip()]
    return items or None


def load_config(instance_path: Path, overrides: dict | None = None) -> dict:
    """The settings a create_app call runs with: environment first, then overrides."""
    env = os.environ
    config = {
        "SECRET_KEY": env.get("SECRET_KEY") or _instance_secret(instance_path),
        "DATABASE_URL": env.get("DATABASE_URL"),
        # Without DATABASE_URL: the embedded server's data directory (default instance/pgdata).
        "EMBEDDED_PGDATA": env.get("EMBEDDED_PGDATA"),
        "REDIS_URL": env.get("REDIS_URL"),
        # Scheme and host of every link that leaves the site (mails, payment return pages),
        # in requests as in jobs: never taken from the request's Host header (app/links.py).
        "BASE_URL": env.get("BASE_URL", "http://127.0.0.1:8000"),
        # Host names the site answers to; other Host headers get a 400. Unset: any host.
        "TRUSTED_HOSTS": _list(env.get("TRUSTED_HOSTS")),
        # Behind a reverse proxy: how many proxies set each X-Forwarded-* header (0: ignore the
        # header). X-Forwarded-For decides the client address the log-in throttle counts.
        "PROXY_FIX_X_FOR": int(env.get("PROXY_FIX_X_FOR", "0")),
        "PROXY_FIX_X_PROTO": int(env.get("PROXY_FIX_X_PROTO", "0")),
        "PROXY_FIX_X_HOST": int(env.get("PROXY_FIX_X_HOST", "0")),
        "PROXY_FIX_X_PREFIX": int(env.get("PROXY_FIX_X_PREFIX", "0")),
        "MAIL_SERVER": env.get("MAIL_SERVER"),
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": env.get("MAIL_USE_TLS", "") == "1",
        "MAIL_USERNAME": env.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD"),
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "Kehu CRM <no-reply@kehu.local>"),
        "MAIL_SINK_DIR": str(instance_path / "mail"),
        # The outbox (app/mail/delivery.py): first retry after MAIL_RETRY_SECONDS, doubling up
        # to MAIL_RETRY_MAX_SECONDS; failed after MAIL_MAX_ATTEMPTS tries or MAIL_GIVE_UP_HOURS.
        "MAIL_RETRY_SECONDS": int(env.get("MAIL_RETRY_SECONDS", "60")),
        "MAIL_RETRY_MAX_SECONDS": int(env.get("MAIL_RETRY_MAX_SECONDS", "7200")),
        "MAIL_MAX_ATTEMPTS": int(env.get("MAIL_MAX_ATTEMPTS", "30")),
        "MAIL_GIVE_UP_HOURS": int(env.get("MAIL_GIVE_UP_HOURS", "48")),
        "MAIL_TIMEOUT_SECONDS": int(env.get("MAIL_TIMEOUT_SECONDS", "10")),
        # The domain of every Message-ID; empty: BASE_URL's host.
        "MAIL_MESSAGE_ID_DOMAIN": env.get("MAIL_MESSAGE_ID_DOMAIN", ""),
        # Files tenants upload (uploads/<schema>/...) and finished data exports.
        "UPLOAD_DIR": env.get("UPLOAD_DIR", str(instance_path / "uploads")),
        "EXPORT_DIR": env.get("EXPORT_DIR", str(instance_path / "exports")),
        "BRANDING_LOGO_MAX_BYTES": 1024 * 1024,
        "PRODUCT_IMAGE_MAX_BYTES": 2 * 1024 * 1024,
        # Logos and product pictures that decode to more pixels than this are refused (a small
        # file can be a "decompression bomb"); 25 million is more than any camera photo that
        # fits in 2 MB, and keeps one decoded picture in memory under about 100 MB.
        "IMAGE_MAX_PIXELS": 25_000_000,
        # The product list shows pictures this size (longest side, px).
        "PRODUCT_THUMBNAIL_PX": 160,
        "STRIPE_SECRET_KEY": env.get("STRIPE_SECRET_KEY"),
        "STRIPE_WEBHOOK_SECRET": env.get("STRIPE_WEBHOOK_SECRET"),
        # Another Stripe API server, e.g. http://localhost:8420 for localstripe on staging.
        "STRIPE_API_BASE": env.get("STRIPE_API_BASE"),
        # A Stripe tax rate to charge BILLING_TAX_RATE with; unset: one is made (metadata kehu=tax).
        "STRIPE_TAX_RATE_ID": env.get("STRIPE_TAX_RATE_ID"),
        # The provider's time zone: the calendar year of invoice numbers.
        "BILLING_TIME_ZONE": env.get("BILLING_TIME_ZONE", "Asia/Shanghai"),
        # Billing (docs/BILLING.md): money as decimal strings, never floats.
        "BILLING_REPORTING_CURRENCY": env.get("BILLING_REPORTING_CURRENCY", "CNY"),
        "BILLING_TAX_RATE": env.get("BILLING_TAX_RATE", "0.06"),
        "BILLING_PAYMENT_TERMS_DAYS": int(env.get("BILLING_PAYMENT_TERMS_DAYS", "7")),
        "BILLING_GRACE_DAYS": int(env.get("BILLING_GRACE_DAYS", "14")),
        "BILLING_RETENTION_DAYS": int(env.get("BILLING_RETENTION_DAYS", "90")),
        "BILLING_TRIAL_REMINDER_DAYS": int(env.get("BILLING_TRIAL_REMINDER_DAYS", "3")),
        "BILLING_BANK_DETAILS": env.get(
            "BILLING_BANK_DETAILS", "Bank transfer details: see your contract or ask billing support."
        ),
        "SIGNUP_RATE_LIMIT": env.get("SIGNUP_RATE_LIMIT", "10 per hour"),
        # Behind TLS the cookies must be Secure and HSTS is sent.
        "BEHIND_TLS": env.get("BEHIND_TLS", "") == "1",
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "LANGUAGES": ["zh_Hans", "zh_Hant", "en"],
        "PASSWORD_RESET_MAX_AGE_S": 3600,
        "INVITATION_MAX_AGE_S": 7 * 24 * 3600,
        # Failed log-ins (app/auth/throttle.py): free tries per account from one address and per
        # address, then a wait doubling with each failure up to the ceiling; counts are forgotten
        # after the window. No account is ever locked.
        "LOGIN_FREE_FAILURES": int(env.get("LOGIN_FREE_FAILURES", "3")),
        "LOGIN_FREE_FAILURES_PER_IP": int(env.get("LOGIN_FREE_FAILURES_PER_IP", "20")),
        "LOGIN_BACKOFF_MAX_SECONDS": int(env.get("LOGIN_BACKOFF_MAX_SECONDS", "900")),
        "LOGIN_FAILURE_WINDOW_MINUTES": int(env.get("LOGIN_FAILURE_WINDOW_MINUTES", "60")),
        "LOGIN_LIMIT_PER_IP": env.get("LOGIN_LIMIT_PER_IP", "20 per minute"),
        # Provider staff viewing a workspace as one of its users (read-only) for at most this long.
        "IMPERSONATION_MINUTES": int(env.get("IMPERSONATION_MINUTES", "60")),
        "TENANT_POOL_TARGET": int(env.get("TENANT_POOL_TARGET", "3")),
        # Pooled connections are checked before use: after a PostgreSQL restart or failover
        # a request never gets one that died with the old server (one cheap round trip
        # per checkout, not per statement): app.database.ping_on_checkout, which is
        # SQLAlchemy's pool_pre_ping minus the checkouts whose first statement checks itself.
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # "Remember me" lasts this long, and a session unused for as long ends on the server too.
        "REMEMBER_DAYS": int(env.get("REMEMBER_DAYS", "14")),
        # Shared by every worker and process: Redis when there is one, else PostgreSQL
        # (app/rate_limits.py). "memory://" only suits a single process.
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI") or env.get("REDIS_URL")
        or "kehudb://",
        # Redis down: limits are counted in each process's memory until it is back,
        # instead of every request failing (docs/SCALING.md).
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_HEADERS_ENABLED": True,
        # Uploads above this are refused with a 413 page before they are read (imports take
        # up to 50 MB, attachments 20 MB).
        "MAX_CONTENT_LENGTH": 60 * 1024 * 1024,
        # argon2 work factors; tests lower them so the suite stays fast.
        "PASSWORD_HASH_TIME_COST": 3,
        "PASSWORD_HASH_MEMORY_KIB": 65536,
    }
    config.update(overrides or {})
    config["SESSION_COOKIE_SECURE"] = config["BEHIND_TLS"]
    config["REMEMBER_COOKIE_SECURE"] = config["BEHIND_TLS"]
    config["REMEMBER_COOKIE_DURATION"] = timedelta(days=config["REMEMBER_DAYS"])
    return config

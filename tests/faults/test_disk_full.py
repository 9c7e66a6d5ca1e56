"""An upload onto a full disk: a clear message, no attachment row, no partial file.

The upload directory is a real 1 MB filesystem (tmpfs) mounted for the test, so
the write fails with the kernel's own ENOSPC. Mounting needs root; without it
the test is skipped, saying why.
"""
import io
import re
import subprocess

import pytest
import sqlalchemy as sa

from app.attachments.models import Attachment
from app.extensions import db
from tenants.context import tenant_scope


@pytest.fixture
def tiny_disk(tmp_path):
    mountpoint = tmp_path / "tiny"
    mountpoint.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mountpoint)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"SKIPPED LOUDLY: cannot mount a 1 MB tmpfs here ({mounted.stderr.strip()}); "
                    "the disk-full upload test needs root")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", str(mountpoint)], check=True)


def _files(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


def test_an_upload_onto_a_full_disk_is_refused_clearly_and_leaves_nothing(
        app, tenant, owner_client, tiny_disk, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tiny_disk))
    created = owner_client.post(f"/t/{tenant.slug}/customers/new", data={
        "name": "Acme", "kind": "company", "type": "customer", "currency": "CNY", "tier": ""})
    customer_id = int(re.search(r"/customers/(\d+)", created.location).group(1))
    (tiny_disk / "filler").write_bytes(b"x" * 700_000)  # the disk is mostly full

    response = owner_client.post(f"/t/{tenant.slug}/attachments/", data={
        "customer_id": customer_id, "file": (io.BytesIO(b"%PDF-1.4 " + b"y" * 600_000), "big.pdf")},
        content_type="multipart/form-data", follow_redirects=True)

    assert response.status_code == 200
    assert "the server&#39;s disk is full. Nothing was saved" in response.get_data(as_text=True)
    assert _files(tiny_disk) == ["filler"]  # no partial file
    with app.app_context(), tenant_scope(tenant):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0

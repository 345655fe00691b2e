"""One owner for "the product's current certificate and its standing" (issue 15): only
`apps/certificates` reads a certificate's dates or revocation to decide whether it stands. Every
other app calls `CertificateQuerySet` (`standing`, `current`, `expiring`, `not_revoked`,
`newest_first`, `with_public_status`) or `apps.certificates.selectors`.

The check reads the source: in any module outside `apps/certificates` that touches
certificates, a lookup on a certificate's date fields (`valid_until__…`, `extended_until__…`,
`valid_from__…`), the "newest first" ordering, or a test of the stored revocation status is a
second copy of the rule. Administrative units have dates too: their lines are not read."""

import re
from pathlib import Path

APPS = Path(__file__).resolve().parents[2] / "apps"

# Lookups and orderings that decide a certificate's standing. Administrative units have a
# `valid_from` too (and `valid_to`, never `valid_until`): modules that do not touch
# certificates are not read.
FORBIDDEN = (
    re.compile(r"\bvalid_until__\w+"),
    re.compile(r"\bextended_until__\w+"),
    re.compile(r"\bvalid_from__\w+"),
    # "the newest certificate": `newest_first()` (sorting a list by expiry for display is fine)
    re.compile(r"""order_by\(\s*["']-valid_from["']"""),
    re.compile(r"\bCertificateStatus\.(REVOKED|ACTIVE)\b"),
)
TOUCHES_CERTIFICATES = re.compile(r"\bCertificate\b|\bcertificates\b")


def _modules():
    for path in sorted(APPS.rglob("*.py")):
        relative = path.relative_to(APPS)
        if relative.parts[0] == "certificates" or "migrations" in relative.parts:
            continue
        yield path, relative


def test_no_other_app_decides_a_certificates_standing():
    found = []
    for path, relative in _modules():
        text = path.read_text(encoding="utf-8")
        if not TOUCHES_CERTIFICATES.search(text):
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if line.lstrip().startswith("#") or "AdminUnit" in line:
                continue
            for pattern in FORBIDDEN:
                if pattern.search(line):
                    found.append(f"apps/{relative}:{number}: {line.strip()}")
    assert not found, "certificate standing computed outside apps/certificates:\n" + "\n".join(
        found
    )


def test_the_check_sees_a_copy_of_the_rule():
    """The patterns catch the kinds of copies the tree used to have."""
    copies = (
        "Certificate.objects.filter(valid_until__gte=today)",
        "qs.exclude(status=CertificateStatus.REVOKED)",
        'Certificate.objects.filter(product=p).order_by("-valid_from", "-pk")',
    )
    for copy in copies:
        assert any(p.search(copy) for p in FORBIDDEN), copy

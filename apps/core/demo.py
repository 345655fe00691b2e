"""The synthetic demo set. Everything it creates is marked demo (`is_demo`) and labelled
"DEMO" in names, so it cannot be mistaken for real producers or officials."""

import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.geo.choices import Level
from apps.geo.models import AdminUnit

CREDENTIALS_FILE = Path(settings.BASE_DIR) / "var" / "demo_credentials.json"

# (username, role, full name, jurisdiction codes: commune codes for commune-level roles,
# province codes for provincial roles, none for national roles)
DEMO_ACCOUNTS = (
    ("demo_chuthe", Role.PRODUCER, "DEMO Chủ thể HTX Dừa Xanh", ("28777",)),
    ("demo_xa", Role.COMMUNE_OFFICER, "DEMO Cán bộ UBND Phường An Hội", ("28777",)),
    ("demo_tinh", Role.PROVINCE_OFFICER, "DEMO Cán bộ OCOP tỉnh Vĩnh Long", ("86",)),
    ("demo_hoidong", Role.COUNCIL_MEMBER, "DEMO Thành viên Hội đồng tỉnh", ("86",)),
    ("demo_tuvan", Role.ADVISORY_MEMBER, "DEMO Thành viên Tổ tư vấn", ("86",)),
    ("demo_lanhdao", Role.PROVINCE_LEADER, "DEMO Lãnh đạo UBND tỉnh", ("86",)),
    ("demo_bo", Role.MINISTRY_OFFICER, "DEMO Cán bộ Bộ NN&MT", ()),
    ("demo_quantri", Role.SYSTEM_ADMIN, "DEMO Quản trị hệ thống", ()),
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    full_name: str
    units: tuple[str, ...]


def _units(codes: tuple[str, ...], role: str) -> list[AdminUnit]:
    level = Level.COMMUNE if role in (Role.PRODUCER, Role.COMMUNE_OFFICER) else Level.PROVINCE
    units = list(AdminUnit.objects.filter(code__in=codes, level=level, valid_to__isnull=True))
    if len(units) != len(codes):
        raise RuntimeError("Load the administrative units first: manage.py load_admin_units")
    return units


@transaction.atomic
def demo_accounts_ensure() -> list[DemoAccount]:
    """Create the missing demo accounts; keep existing ones and their passwords."""
    stored = json.loads(CREDENTIALS_FILE.read_text()) if CREDENTIALS_FILE.exists() else {}
    accounts = []
    for username, role, full_name, codes in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        password = stored.get(username)
        if user is None or password is None or not user.check_password(password):
            password = f"demo-{secrets.token_urlsafe(6)}"
            if user is None:
                user = User(username=username)
            user.set_password(password)
        user.role = role
        user.full_name = full_name
        user.email = f"{username}@demo.invalid"
        user.is_demo = True
        user.is_staff = user.is_superuser = role == Role.SYSTEM_ADMIN
        user.save()
        units = _units(codes, role)
        user.units.set(units)
        stored[username] = password
        accounts.append(DemoAccount(username, password, role, full_name, tuple(u.full_name for u in units)))
    CREDENTIALS_FILE.parent.mkdir(parents=True, exist_ok=True)
    CREDENTIALS_FILE.write_text(json.dumps(stored, indent=2))
    return accounts

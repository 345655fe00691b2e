"""The synthetic demo set. Everything it creates is marked demo (`is_demo`) and labelled
"DEMO" in names, so it cannot be mistaken for real producers or officials."""

import json
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

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
    # The demo council's other three seats, so that four people can score and reach its quorum.
    ("demo_hoidong_2", Role.COUNCIL_MEMBER, "DEMO Thành viên Hội đồng 2", ("86",)),
    ("demo_hoidong_3", Role.COUNCIL_MEMBER, "DEMO Thành viên Hội đồng 3", ("86",)),
    ("demo_hoidong_4", Role.COUNCIL_MEMBER, "DEMO Thư ký Hội đồng 4", ("86",)),
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
        accounts.append(
            DemoAccount(username, password, role, full_name, tuple(u.full_name for u in units))
        )
    CREDENTIALS_FILE.parent.mkdir(parents=True, exist_ok=True)
    CREDENTIALS_FILE.write_text(json.dumps(stored, indent=2))
    return accounts


# --- the synthetic dataset -------------------------------------------------------------------
# (commune code, producer name, legal type, [(product name, classification code)])
# (commune code, producer name, legal type, [(product name, classification code, dossier status)])
DEMO_PRODUCERS = (
    (
        "28777",
        "DEMO HTX Dừa Xanh An Hội",
        "cooperative",
        [
            ("DEMO Kẹo dừa sữa", "I.3.c", "recognised"),
            ("DEMO Nước dừa tươi đóng chai", "II.2.b", "submitted"),
            ("DEMO Thạch dừa", "I.3.c", "proposed_central"),
            ("DEMO Kẹo dừa lá dứa", "I.3.c", "under_evaluation"),
        ],
    ),
    (
        "29110",
        "DEMO Cơ sở Mắm Ba Tri",
        "household",
        [
            ("DEMO Mắm tôm chua", "I.4.a", "commune_reviewing"),
            ("DEMO Tôm khô", "I.3.d", "returned_by_commune"),
            ("DEMO Nước mắm cá cơm", "I.4.a", "evaluated"),
            # Recognised, then revoked after an inspection: its scans show up as flagged.
            ("DEMO Bánh phồng tôm", "I.3.d", "revoked"),
        ],
    ),
    (
        "28756",
        "DEMO Công ty TNHH Mỹ phẩm Dừa",
        "sme",
        [
            ("DEMO Dầu dừa nguyên chất", "III.2", "commune_assessed"),
            ("DEMO Tinh dầu bưởi", "III.3", "forwarded"),
            ("DEMO Sữa tắm dừa", "III.2", "province_checking"),
        ],
    ),
    (
        "28783",
        "DEMO Tổ hợp tác Thủ công Sơn Đông",
        "cooperative_group",
        [
            ("DEMO Giỏ xách cọng dừa", "IV.1", "returned_by_province"),
        ],
    ),
    (
        "28789",
        "DEMO Trang trại Cây giống Cái Mơn",
        "farm",
        [
            ("DEMO Bonsai mai vàng", "V.2", "accepted"),
            ("DEMO Hoa lan", "V.1", "draft"),
            ("DEMO Bưởi da xanh", "I.1.a", "not_recognised"),
        ],
    ),
    (
        "28858",
        "DEMO Hội Du lịch Cồn Phụng",
        "association",
        [
            ("DEMO Du lịch sinh thái cồn", "VI", "accepted"),
        ],
    ),
)
# Statuses reached through the council (the rest through the dossier workflow alone), with the
# star the demo council's scores are chosen to give.
EVALUATION_TARGETS = {
    "under_evaluation": None,
    "evaluated": 4,
    "recognised": 4,
    "proposed_central": 5,
    "not_recognised": 1,
    "revoked": 3,
}


def _demo_user(username: str, role: str, units: list[AdminUnit], full_name: str) -> User:
    """A synthetic actor with no usable password (only the printed accounts can log in)."""
    user, _ = User.objects.get_or_create(
        username=username,
        defaults={
            "role": role,
            "full_name": full_name,
            "is_demo": True,
            "email": f"{username}@demo.invalid",
        },
    )
    if not user.password:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.units.add(*units)
    return user


def demo_dataset_ensure() -> dict[str, int]:
    """Producers inside real communes of the pilot province, products in all six groups, and
    dossiers in every status, made through the real services. Runs once; later runs skip."""
    from apps.dossiers import services as dossier_services
    from apps.dossiers.choices import Action
    from apps.dossiers.models import Dossier
    from apps.producers.models import Producer
    from apps.producers.services import producer_create
    from apps.products.services import product_create

    if Producer.objects.filter(is_demo=True).exists():
        return {"producers": Producer.objects.filter(is_demo=True).count(), "created": 0}

    province = AdminUnit.objects.get(
        level=Level.PROVINCE, code=settings.OCOP_PILOT_PROVINCE_CODE, valid_to__isnull=True
    )
    province_officer = User.objects.get(username="demo_tinh")
    made = {"producers": 0, "products": 0, "dossiers": 0}
    council = None
    with transaction.atomic():
        for index, (commune_code, name, legal_type, products) in enumerate(DEMO_PRODUCERS):
            producer, owner, officer = _demo_producer(
                index, commune_code, name, legal_type, province, producer_create
            )
            made["producers"] += 1
            for product_name, code, target in products:
                product = product_create(
                    actor=owner,
                    producer=producer,
                    name=product_name,
                    classification_code=code,
                    description="DEMO — dữ liệu giả lập.",
                )
                made["products"] += 1
                dossier = dossier_services.dossier_create(
                    product=product, kind="first", actor=owner
                )
                Dossier.objects.filter(pk=dossier.pk).update(is_demo=True)
                made["dossiers"] += 1
                workflow_target = "accepted" if target in EVALUATION_TARGETS else target
                _drive(
                    dossier.pk,
                    workflow_target,
                    owner,
                    officer,
                    province_officer,
                    dossier_services,
                    Action,
                )
                if target in EVALUATION_TARGETS:
                    council = council or _demo_council(province, province_officer)
                    _evaluate(dossier.pk, target, council, province_officer)
    return {**made, "created": 1}


def _demo_producer(index, commune_code, name, legal_type, province, producer_create):
    """One demo producer at a point inside its commune, its owner's account (the printed
    `demo_chuthe` for the first) and the commune's officer (`demo_xa` for An Hội)."""
    from django.contrib.gis.geos import Point

    commune = AdminUnit.objects.get(level=Level.COMMUNE, code=commune_code, valid_to__isnull=True)
    owner = (
        User.objects.get(username="demo_chuthe")
        if index == 0
        else _demo_user(
            f"demo_chuthe_{index + 1}", Role.PRODUCER, [commune], f"DEMO Chủ thể {index + 1}"
        )
    )
    officer = (
        User.objects.get(username="demo_xa")
        if commune_code == "28777"
        else _demo_user(
            f"demo_xa_{commune_code}",
            Role.COMMUNE_OFFICER,
            [commune],
            f"DEMO Cán bộ {commune.full_name}",
        )
    )
    spot = commune.geom.point_on_surface
    producer = producer_create(
        actor=owner,
        name=name,
        legal_type=legal_type,
        registration_number=f"DEMO-{index + 1:03d}",
        registration_date=date(2018, 1, 1),
        address=f"{commune.full_name}, {province.full_name}",
        location=Point(spot.x, spot.y, srid=4326),
        representative_name=f"DEMO Người đại diện {index + 1}",
        representative_gender="female" if index % 2 == 0 else "male",
        representative_ethnicity="Kinh",
        is_demo=True,
    )
    return producer, owner, officer


def _drive(dossier_id, target, owner, officer, province_officer, services, Action):
    """Move a demo dossier through the workflow until it reaches `target`."""
    from django.utils import timezone

    from apps.dossiers.models import Dossier

    if target == "draft":
        return
    dossier = Dossier.objects.get(pk=dossier_id)
    _fill_in(dossier, owner, services)
    steps = [
        (Action.SUBMIT, owner, "", "submitted"),
        (Action.COMMUNE_START_REVIEW, officer, "", "commune_reviewing"),
    ]
    if target == "returned_by_commune":
        steps.append((Action.COMMUNE_RETURN, officer, "DEMO: bổ sung phiếu kiểm nghiệm.", target))
    for action, actor, note, reached in steps:
        services.dossier_transition(dossier_id=dossier_id, action=action, actor=actor, note=note)
        if reached == target:
            return
    services.commune_assessment_save(
        dossier_id=dossier_id,
        actor=officer,
        raw_material="DEMO",
        local_labour="DEMO",
        product_idea="DEMO",
        local_identity="DEMO",
        proposal="DEMO: đề nghị tỉnh đánh giá, phân hạng.",
    )
    services.dossier_transition(dossier_id=dossier_id, action=Action.COMMUNE_ASSESS, actor=officer)
    if target == "commune_assessed":
        return
    dossier.refresh_from_db()
    services.samples_record(
        dossier_id=dossier_id,
        actor=officer,
        received=dossier.samples_required,
        on=timezone.localdate(),
    )
    services.dossier_transition(dossier_id=dossier_id, action=Action.COMMUNE_FORWARD, actor=officer)
    if target == "forwarded":
        return
    services.dossier_transition(
        dossier_id=dossier_id, action=Action.PROVINCE_START_CHECK, actor=province_officer
    )
    if target == "province_checking":
        return
    if target == "returned_by_province":
        services.dossier_transition(
            dossier_id=dossier_id,
            action=Action.PROVINCE_RETURN,
            actor=province_officer,
            note="DEMO: bổ sung hợp đồng liên kết.",
        )
        return
    services.dossier_transition(
        dossier_id=dossier_id, action=Action.PROVINCE_ACCEPT, actor=province_officer
    )


def _fill_in(dossier, owner, services) -> None:
    """The producer's Mẫu 01 and 02 with synthetic text, and a plausible self-assessment: about
    two thirds up every criterion's options."""
    from apps.criteria.models import Sheet

    sheet = Sheet.objects.get(pk=dossier.sheet_id)
    form01 = {
        "unit_name": dossier.product.producer.name,
        "representative": "DEMO Người đại diện",
        "position": "Giám đốc",
        "address": dossier.product.producer.address,
        "phone": "0275 000 000",
        "product_name": dossier.product.name,
    }
    form02 = {
        k: "DEMO — nội dung giả lập."
        for k in (
            "history",
            "organisation",
            "product_description",
            "raw_materials",
            "markets",
            "revenue_profit",
            "plan",
        )
    }
    services.dossier_forms_update(dossier_id=dossier.pk, actor=owner, form01=form01, form02=form02)
    # A plausible self-assessment: about two thirds up every criterion's options.
    choices = {c.code: max(1, round(c.options.count() * 0.7)) for c in sheet.criteria.all()}
    services.dossier_self_assess(dossier_id=dossier.pk, actor=owner, choices=choices)


def _demo_council(province, province_officer):
    """The pilot province's round that takes the dossiers proposed today (QĐ 26/2026 Đ5.1, so
    the demo's dossiers land in it) and its council of four printed accounts: `demo_hoidong`
    chairs it, `demo_hoidong_2` and `_3` are members, `demo_hoidong_4` its secretary;
    `demo_tuvan` is its advisory team."""
    from apps.criteria.models import CriteriaSet
    from apps.evaluation.models import Council, CouncilMember, EvaluationRound
    from apps.evaluation.services import round_planned

    round_ = EvaluationRound.objects.create(
        level="province",
        province=province,
        is_demo=True,
        **round_planned(province_id=province.pk, on=timezone.localdate()),
    )
    criteria_set = CriteriaSet.objects.get(code="QD26/2026")
    council = Council.objects.create(
        name="DEMO Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Vĩnh Long",
        round=round_,
        criteria_set=criteria_set,
        regime_code=criteria_set.regime_code,
        created_by=province_officer,
        conflict_rules=["works_for_producer", "relative", "advised_product"],
    )
    chair = User.objects.get(username="demo_hoidong")
    CouncilMember.objects.create(
        council=council, user=chair, role="chair", organisation="DEMO Sở NN&MT"
    )
    for i, role in ((2, "member"), (3, "member"), (4, "secretary")):
        member = _demo_user(
            f"demo_hoidong_{i}", Role.COUNCIL_MEMBER, [province], f"DEMO Thành viên Hội đồng {i}"
        )
        CouncilMember.objects.create(
            council=council, user=member, role=role, organisation="DEMO Sở ngành"
        )
    council.advisors.add(User.objects.get(username="demo_tuvan"))
    return council


def _choices_for(sheet, star: int) -> dict[str, int]:
    """Options that give `star` on `sheet`: 1★ from the first options; otherwise start from the
    best options and lower criteria that carry no star marker until the band matches."""
    from apps.criteria import engine
    from apps.criteria.services import sheet_evaluate

    criteria = list(sheet.criteria.prefetch_related("options").order_by("order"))
    if star == 1:
        return {c.code: 1 for c in criteria if not c.depends_on_id}
    choices = {c.code: c.options.count() for c in criteria}

    def rank(ch):
        return sheet_evaluate(sheet=sheet, scorecards=[engine.Scorecard(choices=ch)])

    for criterion in reversed(criteria):
        if rank(choices).star <= star:
            break
        if any(o.min_star for o in criterion.options.all()) or criterion.code in ("5.1", "5.2"):
            continue
        choices[criterion.code] = 1
    return choices


def _evaluate(dossier_id, target, council, province_officer):
    """Assign to the demo council and, unless it is to stay "assigned", score and conclude."""
    from apps.dossiers.models import Dossier
    from apps.evaluation import services as evaluation

    assignment = evaluation.assignment_create(
        council=council, dossier_id=dossier_id, actor=province_officer
    )
    star = EVALUATION_TARGETS[target]
    if star is None:
        return
    # The advisory team's report reaches the chair before the members submit (Đ7.3.c).
    adviser = User.objects.get(username="demo_tuvan")
    evaluation.advisory_report_save(
        assignment_id=assignment.pk,
        adviser=adviser,
        assessment="DEMO: hồ sơ đầy đủ thành phần theo khoản 1 Điều 6; minh chứng khớp với phiếu "
        "tự đánh giá.",
        field_survey="DEMO: khảo sát thực tế tại cơ sở sản xuất; điều kiện sản xuất như hồ sơ mô "
        "tả.",
        recommendation="DEMO: đề nghị Hội đồng đánh giá, phân hạng theo Bộ tiêu chí.",
    )
    evaluation.advisory_report_submit(assignment_id=assignment.pk, adviser=adviser)
    choices = _choices_for(Dossier.objects.get(pk=dossier_id).sheet, star)
    for seat in council.members.select_related("user"):
        evaluation.scorecard_save(assignment_id=assignment.pk, member=seat.user, choices=choices)
        evaluation.scorecard_submit(assignment_id=assignment.pk, member=seat.user)
    chair = council.members.get(role="chair").user
    result = evaluation.council_conclude(
        assignment_id=assignment.pk, chair=chair, feedback="DEMO: góp ý của Hội đồng cho chủ thể."
    )
    _decide(result, target)


def _decide(result, target):
    """The provincial leader's step: recognise (with a certificate), propose 5★ to the ministry,
    or close a 1★/2★ result without recognition."""
    from django.utils import timezone

    from apps.certificates import services as certificates

    leader = User.objects.get(username="demo_lanhdao")
    if target in ("recognised", "revoked"):
        decision = certificates.recognition_decide(
            result_ids=[result.pk],
            decision_number=f"DEMO-{result.pk}/QĐ-UBND",
            decision_date=timezone.localdate(),
            signer_name="DEMO Lãnh đạo UBND tỉnh",
            signer_title="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
            actor=leader,
        )
        if target == "revoked":
            certificate = decision.certificates.get()
            certificates.certificate_revoke(
                certificate_id=certificate.pk,
                ground="b",
                decision_number=f"DEMO-{result.pk}/QĐ-THU-HỒI",
                decided_on=timezone.localdate(),
                actor=leader,
                note="DEMO: hậu kiểm cho thấy sản phẩm không còn duy trì tiêu chí.",
            )
    elif target == "proposed_central":
        certificates.ministry_propose(result_id=result.pk, actor=leader)
    elif target == "not_recognised":
        certificates.result_close_unrecognised(
            result_id=result.pk, actor=leader, note="DEMO: chưa đạt 3 sao."
        )

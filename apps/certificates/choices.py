from django.db import models
from django.utils.translation import gettext_lazy as _


class DecisionLevel(models.TextChoices):
    PROVINCE = "province", _("Provincial People's Committee (3★/4★)")
    MINISTRY = "ministry", _("Ministry of Agriculture and Environment (5★)")


class CertificateStatus(models.TextChoices):
    """What is stored: a certificate is revoked by a decision, never by the passing of time."""

    ACTIVE = "active", _("Active")
    REVOKED = "revoked", _("Revoked")


class PublicStatus(models.TextChoices):
    """What the public sees, computed for a given day (`certificate_status`)."""

    VALID = "valid", _("Valid")
    REEVALUATION_WINDOW = "reevaluation_window", _("Valid, re-evaluation due")
    EXTENDED = "extended", _("Valid under the transitional extension")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


# The public statuses under which a certificate stands (the product counts as recognised).
STANDING = (PublicStatus.VALID, PublicStatus.REEVALUATION_WINDOW, PublicStatus.EXTENDED)

# "Expiring" on maps, dashboards and the commune's lists: within this many days of expiry (the
# re-evaluation filing window opens 180 days before it, Đ7.6.a).
EXPIRING_DAYS = 180


class RevocationGround(models.TextChoices):
    """QĐ 26/2026/QĐ-TTg Điều 8.1: the six grounds for revoking a recognition.

    The decision letters its points a, b, c, d, đ, e (the Vietnamese alphabet); the stored value
    of point đ is "dd" so that values stay ASCII in URLs and CSV exports.
    """

    FALSE_INFORMATION = "a", _("a) False or forged information or documents in the dossier")
    CRITERIA_NOT_MET = "b", _("b) The product no longer meets the criteria, per an inspection")
    LAW_VIOLATION = (
        "c",
        _("c) Violation of the law on quality, food safety, environment, IP or labelling"),
    )
    MARK_MISUSE = "d", _("d) Misuse of the OCOP mark causing confusion")
    PRODUCTION_STOPPED = "dd", _("đ) The producer no longer makes the product")
    OTHER_CONCLUSION = "e", _("e) Other conclusions of a competent authority")


class RevocationStatus(models.TextChoices):
    """A revocation case (Đ8.3): opened by the OCOP office from a competent conclusion, then
    decided by the authority (the certificate is revoked) or closed without revocation."""

    OPEN = "open", _("Open: awaiting the authority's decision")
    REVOKED = "revoked", _("Revoked by decision")
    CLOSED = "closed", _("Closed without revocation")


class InspectionKind(models.TextChoices):
    """QĐ 26/2026 Đ9.2.a: "kiểm tra định kỳ và kiểm tra đột xuất khi cần thiết"."""

    PERIODIC = "periodic", _("Periodic inspection")
    AD_HOC = "ad_hoc", _("Ad hoc inspection")


class InspectionScope(models.TextChoices):
    """What the inspection covered, QĐ 26/2026 Đ9.3: a) the criteria maintained as in the
    evaluated dossier; b) the use of the OCOP mark, product information and promotion."""

    CRITERIA = "criteria", _("a) Criteria maintained as in the evaluated dossier")
    MARK = "mark", _("b) Use of the OCOP mark, product information and promotion")
    CRITERIA_AND_MARK = "criteria_and_mark", _("a) and b): criteria and use of the OCOP mark")


class InspectionOutcome(models.TextChoices):
    """What the inspection concluded; a non-compliant or violation outcome may ground a
    revocation case (Đ8.1.b)."""

    COMPLIANT = "compliant", _("Compliant")
    NON_COMPLIANT = "non_compliant", _("Non-compliant: the requirements are no longer met")
    VIOLATION = "violation", _("Violation of the law found")


# The outcomes on which a revocation case may be opened from the inspection.
INSPECTION_OUTCOMES_FOR_REVOCATION = frozenset(
    {InspectionOutcome.NON_COMPLIANT, InspectionOutcome.VIOLATION}
)


# The legal wording of each ground (QĐ 26/2026 Đ8.1), kept verbatim for decisions and the
# public page: data, not interface text, so it is not translated.
REVOCATION_GROUND_TEXT = {
    "a": (
        "Chủ thể OCOP bị phát hiện cung cấp thông tin, tài liệu không trung thực hoặc giả mạo "
        "hồ sơ trong quá trình đăng ký đánh giá, phân hạng sản phẩm OCOP."
    ),
    "b": (
        "Sản phẩm OCOP không còn đáp ứng các tiêu chí theo Bộ tiêu chí OCOP theo kết luận "
        "kiểm tra, giám sát của cơ quan có thẩm quyền."
    ),
    "c": (
        "Sản phẩm OCOP vi phạm quy định pháp luật về chất lượng sản phẩm, an toàn thực phẩm, "
        "bảo vệ môi trường, sở hữu trí tuệ, ghi nhãn hàng hóa hoặc các quy định pháp luật khác "
        "có liên quan theo kết luận của cơ quan có thẩm quyền."
    ),
    "d": (
        "Chủ thể OCOP sử dụng nhãn hiệu OCOP không đúng quy định, gây nhầm lẫn về sản phẩm "
        "được công nhận."
    ),
    "dd": "Chủ thể OCOP không còn hoạt động sản xuất sản phẩm OCOP.",
    "e": (
        "Trường hợp khác theo kết luận và đề nghị của cơ quan nhà nước có thẩm quyền về việc sản "
        "phẩm OCOP không đủ điều kiện tiếp tục được công nhận."
    ),
}


class ReminderKind(models.TextChoices):
    WINDOW_OPEN = "window_open", _("Re-evaluation window opens")
    WINDOW_CLOSING = "window_closing", _("Re-evaluation window closes in 30 days")
    EXPIRED = "expired", _("Certificate expired")

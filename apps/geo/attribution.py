"""Attribution lines that must travel with the boundary data (spatial_data/SOURCES.md)."""

MAP_ATTRIBUTIONS = (
    "Ranh giới hành chính 2025: Bản đồ tham khảo đơn vị hành chính Việt Nam "
    "(sapnhap.bando.com.vn), NXB Tài nguyên, Môi trường và Bản đồ Việt Nam; dữ liệu qua "
    "thanglequoc/vietnamese-provinces-database (MIT License, © 2021 Thang Le Quoc).",
    "Ranh giới tỉnh/huyện trước 01/7/2025: Hệ thống bản đồ hành chính, Cổng Thông tin điện tử "
    "Chính phủ (gis.chinhphu.vn), qua daohoangson/dvhcvn (GPL-3.0); mã ĐVHC: Tổng cục Thống kê.",
    "Bảng chuyển đổi ĐVHC cũ → mới: dvhcvn/20250701 (MIT License, © 2025 dvhcvn), "
    "đối chiếu Nghị quyết 1687/NQ-UBTVQH15.",
)

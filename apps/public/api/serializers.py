from rest_framework import serializers

from apps.core.parsing import AsciiIntegerSerializerField


class LocationShareSerializer(serializers.Serializer):
    """What the product page sends when the consumer agrees to share an approximate position.
    One of `code` (OCOP product code) or `gtin`; `lot` optional."""

    code = serializers.CharField(required=False, allow_blank=True, max_length=40)
    gtin = serializers.CharField(required=False, allow_blank=True, max_length=14)
    lot = serializers.CharField(required=False, allow_blank=True, max_length=20)
    lon = serializers.FloatField(min_value=-180, max_value=180)
    lat = serializers.FloatField(min_value=-90, max_value=90)

    def validate(self, attrs):
        if not (attrs.get("code") or attrs.get("gtin")):
            raise serializers.ValidationError({"code": "Give the product code or the GTIN."})
        return attrs


class StorySerializer(serializers.Serializer):
    story = serializers.CharField(allow_blank=True, max_length=8000)
    story_en = serializers.CharField(allow_blank=True, required=False, default="", max_length=8000)


class GtinSerializer(serializers.Serializer):
    gtin = serializers.CharField(allow_blank=True, max_length=20)


class BuyLinkInputSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=80)
    url = serializers.CharField(max_length=500)


class BuyLinkOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    url = serializers.CharField()


class PhotoInputSerializer(serializers.Serializer):
    file = serializers.FileField()
    caption = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class PhotoOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    caption = serializers.CharField()


class ProductPageOutputSerializer(serializers.Serializer):
    product_id = serializers.IntegerField()
    name = serializers.CharField()
    gtin = serializers.CharField(allow_null=True)
    product_code = serializers.CharField(allow_blank=True)
    public_url = serializers.CharField(allow_blank=True)
    story = serializers.CharField(allow_blank=True)
    story_en = serializers.CharField(allow_blank=True)
    photos = PhotoOutputSerializer(many=True)
    buy_links = BuyLinkOutputSerializer(many=True)


class ScanSummaryFilterSerializer(serializers.Serializer):
    product = AsciiIntegerSerializerField(required=False, min_value=1, max_value=2**63 - 1)
    days = AsciiIntegerSerializerField(required=False, min_value=1, max_value=730, default=90)

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.parsing import AsciiIntegerSerializerField
from apps.products.choices import ProductStatus
from apps.products.models import CLASSIFICATION_CODE_REGEX


class ProductInputSerializer(serializers.Serializer):
    producer = AsciiIntegerSerializerField(min_value=1, help_text=_("Producer id"))
    name = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, allow_blank=True)
    classification_code = serializers.RegexField(
        CLASSIFICATION_CODE_REGEX, max_length=10, help_text=_('Annex I position, e.g. "I.3.c"')
    )
    criteria_sheet = AsciiIntegerSerializerField(
        min_value=1,
        max_value=26,
        required=False,
        help_text=_("Criteria sheet 1..26; default: the sheet of the classification"),
    )
    production_area = AsciiIntegerSerializerField(min_value=1, required=False, allow_null=True)

    def validate(self, attrs):
        if "status" in self.initial_data:
            raise serializers.ValidationError(
                {"status": _("A new product is always a draft; do not send a status.")}
            )
        return attrs


class ProductFilterSerializer(serializers.Serializer):
    producer = AsciiIntegerSerializerField(min_value=1, required=False)
    status = serializers.ChoiceField(choices=ProductStatus.choices, required=False)


class ProducerRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AreaRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class ProductOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    status = serializers.CharField()
    classification_code = serializers.CharField()
    criteria_sheet = serializers.IntegerField()
    producer = ProducerRefSerializer()
    production_area = AreaRefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

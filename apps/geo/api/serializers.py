from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.geo.choices import Level


class AdminUnitFilterSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    parent = serializers.RegexField(
        r"^[0-9]{1,10}\Z", required=False, help_text=_("Parent unit code")
    )
    code = serializers.RegexField(r"^[0-9]{1,10}\Z", required=False)
    valid_on = serializers.DateField(
        required=False, help_text=_("Date (YYYY-MM-DD); default today")
    )


class AdminUnitOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    full_name = serializers.CharField()
    level = serializers.CharField()
    unit_type = serializers.CharField()
    parent_code = serializers.CharField(allow_null=True)
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)


class LocateInputSerializer(serializers.Serializer):
    lon = serializers.FloatField(min_value=-180, max_value=180)
    lat = serializers.FloatField(min_value=-90, max_value=90)
    on = serializers.DateField(required=False)


class UnitRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    full_name = serializers.CharField()


class LocateOutputSerializer(serializers.Serializer):
    on = serializers.DateField()
    province = UnitRefSerializer()
    district = UnitRefSerializer(allow_null=True)
    commune = UnitRefSerializer(allow_null=True)
    commune_candidates = UnitRefSerializer(many=True)


class TranslateInputSerializer(serializers.Serializer):
    code = serializers.RegexField(r"^[0-9]{1,10}\Z")
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    on = serializers.DateField(required=False)


class SuccessorSerializer(serializers.Serializer):
    code = serializers.CharField(source="unit.code")
    name = serializers.CharField(source="unit.name")
    full_name = serializers.CharField(source="unit.full_name")
    level = serializers.CharField(source="unit.level")
    relation = serializers.CharField()


class TranslationSerializer(serializers.Serializer):
    code = serializers.CharField(source="unit.code")
    full_name = serializers.CharField(source="unit.full_name")
    level = serializers.CharField(source="unit.level")
    valid_from = serializers.DateField(source="unit.valid_from", allow_null=True)
    valid_to = serializers.DateField(source="unit.valid_to", allow_null=True)
    current = serializers.BooleanField()
    successor_known = serializers.SerializerMethodField()
    successors = SuccessorSerializer(many=True)
    reason = serializers.CharField()

    def get_successor_known(self, obj) -> bool:
        return obj.current or bool(obj.successors)

from __future__ import annotations

from rest_framework import serializers

from .models import Delivery, Kind, Notification, Preference


class NotificationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "body",
            "url",
            "key",
            "due",
            "created_at",
            "read_at",
            "unread",
        ]
        read_only_fields = fields

    def get_unread(self, obj) -> bool:
        return obj.read_at is None


class ReadAllSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices, required=False, allow_blank=True, default="")


class ReadAllResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class PreferenceSerializer(serializers.ModelSerializer):
    muted_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=[c for c in Kind.choices if c[0] != Kind.DIGEST]),
        required=False,
    )
    digest_hour = serializers.IntegerField(min_value=0, max_value=23, required=False)

    class Meta:
        model = Preference
        fields = ["email", "sms", "wechat", "digest", "digest_hour", "muted_kinds"]


class DeliverySerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="notification.user_id", read_only=True)
    user_name = serializers.CharField(source="notification.user.display_name", read_only=True)
    title = serializers.CharField(source="notification.title", read_only=True)
    kind = serializers.CharField(source="notification.kind", read_only=True)
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "notification",
            "user",
            "user_name",
            "title",
            "kind",
            "channel",
            "channel_label",
            "address",
            "state",
            "state_label",
            "attempts",
            "created_at",
            "sent_at",
            "detail",
        ]
        read_only_fields = fields

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from dangjian.core.routes import RouteScope, scoped

from .filtersets import UserFilter
from .models import User
from .serializers import MeSerializer, TokenRequestSerializer, TokenResponseSerializer, UserSerializer


class TokenThrottle(AnonRateThrottle):
    scope = "token"


@extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer}, auth=[])
@scoped("public")
@api_view(["POST"])
@permission_classes([AllowAny])
@throttle_classes([TokenThrottle])
def obtain_token(request):
    """Exchange a username and password for an API token (the same lockout rules as the login page)."""
    s = TokenRequestSerializer(data=request.data)
    s.is_valid(raise_exception=True)
    user = authenticate(
        request=request._request, username=s.validated_data["username"], password=s.validated_data["password"]
    )
    if user is None:
        return Response({"detail": "用户名或密码不正确，或账号已被锁定。"}, status=400)
    token, _ = Token.objects.get_or_create(user=user)
    return Response({"token": token.key})


@extend_schema(responses=MeSerializer)
@scoped("user")
@api_view(["GET"])
def me(request):
    return Response(MeSerializer(request.user).data)


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    route_scope = RouteScope("list", model=User)
    serializer_class = UserSerializer
    filterset_class = UserFilter
    ordering_fields = ["username", "real_name"]

    def get_queryset(self):
        return User.objects.restrict(self.request.user).order_by("username")

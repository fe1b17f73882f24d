"""The second factor (TOTP, django-otp) that officials who use the admin pass to reach it.
Who needs it is regions.policy.needs_second_factor; SecondFactorMiddleware enforces it."""

from base64 import b32encode

from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

DEVICE_NAME = "authenticator"


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def enrolment_device(*, user: User) -> TOTPDevice:
    """The device being set up: the user's unconfirmed one, or a new one with a new key."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_of(device: TOTPDevice) -> str:
    """The key as an authenticator app asks for it (base32)."""
    return b32encode(device.bin_key).decode()


def confirm_enrolment(*, request, device: TOTPDevice, code: str) -> bool:
    """The first right code confirms the device and verifies this session."""
    if not device.verify_token(code.strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True


def verify_session(*, request, code: str) -> bool:
    """A right code from the user's confirmed device verifies this session (django-otp
    throttles the guesses: each failure doubles the wait before the next is checked)."""
    device = confirmed_device(request.user)
    if device is None or not device.verify_token(code.strip()):
        return False
    otp_login(request, device)
    return True


@transaction.atomic
def set_known_device(*, user: User, key_hex: str) -> TOTPDevice:
    """A confirmed device with a known key: only for the demo and tests."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=key_hex, confirmed=True)

"""Who has which role where: granted by e-mail address, changed and removed by an
organisation's administrators, each change in the audit trail."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from maalbilde.organisations.audit import audit_record
from maalbilde.organisations.models import Membership, Organisation, Role

# An invited person logs in with their address: it must fit Django's user name.
USERNAME_LENGTH = User._meta.get_field("username").max_length or 150


class MembershipRefused(Exception):
    pass


@transaction.atomic
def membership_grant(
    *, organisation: Organisation, email: str, role: Role, by: User | None
) -> tuple[Membership, bool]:
    """Give the person with this e-mail address the role in the organisation (replacing a
    role they had there). A person without an account gets one, with no password until they
    set one; returns the membership and whether the account is new."""
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        message = _("“%(email)s” is not an e-mail address.") % {"email": email}
        raise MembershipRefused(message) from None
    if len(email) > USERNAME_LENGTH:
        raise MembershipRefused(
            _("An address of more than %(most)s characters cannot be a user name; use a "
              "shorter one.") % {"most": USERNAME_LENGTH}
        )  # fmt: skip
    people = list(User.objects.filter(email__iexact=email, is_active=True)[:2])
    if len(people) > 1:
        raise MembershipRefused(
            _("More than one person has the address “%(email)s”; an administrator of "
              "Målbilde must sort that out first.") % {"email": email}
        )  # fmt: skip
    new = not people
    if new:
        if User.objects.filter(username__iexact=email).exists():
            raise MembershipRefused(
                _("The name “%(email)s” is taken by another account.") % {"email": email}
            )
        person = User(username=email.lower(), email=email)
        person.set_unusable_password()
        person.save()
    else:
        person = people[0]
    membership = Membership.objects.select_for_update().filter(
        user=person, organisation=organisation).first()  # fmt: skip
    before = {"role": membership.role} if membership else None
    if membership is None:
        membership = Membership(user=person, organisation=organisation)
    else:
        _refuse_lowering_own(membership, by, role)
    membership.role = role
    membership.save()
    _record(membership, by, "membership-granted", before, {"role": role, "email": email,
                                                            "new_account": new})  # fmt: skip
    return membership, new


@transaction.atomic
def membership_change(*, membership: Membership, role: Role, by: User | None) -> Membership:
    """Give a person another role in the same organisation."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _refuse_lowering_own(membership, by, role)
    before = {"role": membership.role}
    if before["role"] == role:
        return membership
    membership.role = role
    membership.save(update_fields=["role"])
    _record(membership, by, "membership-changed", before, {"role": role})
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User | None) -> None:
    """Take a person's role in an organisation away (their account stays)."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _refuse_lowering_own(membership, by, None)
    _record(membership, by, "membership-removed", {"role": membership.role}, None)
    membership.delete()


def _refuse_lowering_own(membership: Membership, by: User | None, role: Role | None) -> None:
    """Administrators do not lower or remove their own role, so that an organisation is not
    left without one by a slip: another administrator must do it."""
    if membership.user == by and membership.role == Role.ADMINISTRATOR != role:
        raise MembershipRefused(_("You cannot lower or remove your own administrator role; "
                                  "ask another administrator."))  # fmt: skip


def _record(membership: Membership, by: User | None, action: str, before, after) -> None:
    audit_record(
        user=by, action=action,
        subject=f"{membership.organisation.slug}/{membership.user.get_username()}",
        about=membership, organisation=membership.organisation, before=before, after=after,
    )  # fmt: skip

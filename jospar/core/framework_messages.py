"""Django's own messages that its Kazakh catalog leaves in English, for our catalog to carry.

The log-in, password and upload pages show messages written by Django (a wrong password, the
password rules, a malformed address, a refused CSRF token). Django's Kazakh catalog lacks them,
so a Kazakh page would show English. Listing them here, exactly as Django writes them, lets
``makemessages`` put them into ``jospar/locale``; the project's catalog takes precedence over
Django's, so the same msgids are translated there for Kazakh and Russian.

Nothing imports this module at run time: it exists only to be read by ``makemessages``. When
Django changes one of these texts, the entry simply stops matching and Django's own (English or
translated) text shows; ``test_translations`` checks the list against the installed Django.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop, ngettext_lazy

MESSAGES = [
    # django.contrib.auth: the log-in form and the password forms.
    gettext_noop(
        "Please enter a correct %(username)s and password. Note that both "
        "fields may be case-sensitive."
    ),
    gettext_noop("username"),
    gettext_noop("Email"),
    gettext_noop("email address"),
    gettext_noop("The two password fields didn’t match."),
    gettext_noop("Enter the same password as before, for verification."),
    # django.contrib.auth.password_validation: the rules a new password must follow.
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
    # django.core.validators and django.forms: what a form field refuses.
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a valid integer."),
    gettext_noop("Null characters are not allowed."),
    gettext_noop("%(model_name)s with this %(field_labels)s already exists."),
    # django.views.csrf: the page shown when a form is sent without a valid token.
    gettext_noop("Forbidden"),
    gettext_noop("CSRF verification failed. Request aborted."),
    gettext_noop("More information is available with DEBUG=True."),
]

PLURAL_MESSAGES = [
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this filename has at most %(max)d character (it has %(length)d).",
        "Ensure this filename has at most %(max)d characters (it has %(length)d).",
        "max",
    ),
]

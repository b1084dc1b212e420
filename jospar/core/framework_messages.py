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

# django.contrib.admin (and the auth and contenttypes apps it shows): the administration's own
# texts that Django's Kazakh catalog leaves in English. Found by opening every admin page in
# Kazakh (index, each model's list, add, change and history pages).
ADMIN_MESSAGES = [
    gettext_noop("%(app)s administration"),
    gettext_noop("Models in the %(name)s application"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("View"),
    gettext_noop("View %s"),
    gettext_noop("View site"),
    gettext_noop("Skip to main content"),
    gettext_noop("Sidebar"),
    gettext_noop("Toggle navigation"),
    gettext_noop("Filter navigation items"),
    gettext_noop("Start typing to filter…"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Recent actions"),
    gettext_noop("My actions"),
    gettext_noop("Close"),
    gettext_noop("Show counts"),
    gettext_noop("Select %s to view"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Remove from sorting"),
    gettext_noop("Toggle sorting"),
    gettext_noop("Sorting priority: %(priority_number)s"),
    gettext_noop("Save and view"),
    gettext_noop("Add another %(model)s"),
    gettext_noop("Change selected %(model)s"),
    gettext_noop("View selected %(model)s"),
    gettext_noop(
        "This object doesn’t have a change history. It probably wasn’t added via this admin site."
    ),
    gettext_noop("Hold down “Control”, or “Command” on a Mac, to select more than one."),
    # django.contrib.auth's user pages in the admin.
    gettext_noop("Authentication and Authorization"),
    gettext_noop("Content Types"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Password-based authentication"),
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. If disabled, "
        "they may still be able to authenticate using other backends, such as Single Sign-On "
        "or LDAP."
    ),
    gettext_noop("Enabled"),
    gettext_noop("Disabled"),
    gettext_noop("Reset password"),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only."),
    gettext_noop(
        "The groups this user belongs to. A user will get all permissions granted to each of "
        "their groups."
    ),
    gettext_noop("Specific permissions for this user."),
    gettext_noop("algorithm"),
    gettext_noop("iterations"),
    gettext_noop("salt"),
]

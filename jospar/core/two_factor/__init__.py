"""The optional second factor (TOTP, django-otp) of controllers and administrators."""

"""Form and serializer fields that read input within the edge's bounds (``jospar.core.edge``):
ids up to PostgreSQL's bigint, dates within 1900-01-01 .. 2100-12-31. Forms and serializers
use these instead of the framework's unbounded ``IntegerField`` and ``DateField``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from rest_framework import serializers

from jospar.core.edge import BIGINT_MAX, DATE_MAX, DATE_MIN, date_range_message


def _check_date(value: dt.date | None) -> None:
    if value is not None and not DATE_MIN <= value <= DATE_MAX:
        raise ValidationError(date_range_message(), code="date_range")


class IdFormField(forms.IntegerField):
    """An id in a form: a whole number from 1 to bigint."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(**kwargs)


class DateFormField(forms.DateField):
    """A date in a form, within the calendar the application reasons in."""

    default_validators = [_check_date]


class IdApiField(serializers.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(**kwargs)


class DateApiField(serializers.DateField):
    def to_internal_value(self, value: Any) -> dt.date:
        day: dt.date = super().to_internal_value(value)
        if not DATE_MIN <= day <= DATE_MAX:
            raise serializers.ValidationError(date_range_message(), code="date_range")
        return day


class DateTimeApiField(serializers.DateTimeField):
    """A moment, its day within the calendar the application reasons in (checked before the
    time zone is applied: 0001-01-01 in +05:00 is no moment Python can hold in UTC)."""

    def enforce_timezone(self, value: dt.datetime) -> dt.datetime:
        if not DATE_MIN <= value.date() <= DATE_MAX:
            raise serializers.ValidationError(date_range_message(), code="date_range")
        return super().enforce_timezone(value)

"""The outlook's indicator: its statuses as a reader sees them, and what it accepts."""

from __future__ import annotations

from typing import get_args

import pytest
from pydantic import ValidationError

from reportgen.model.config import Indicator
from reportgen.model.vocabulary import INDICATOR_STATUSES, IndicatorStatus

BASE = {"text": "A group resumes its attacks", "time_frame": {"from": "2024-02-08", "to": "2024-03-08"}}


@pytest.mark.parametrize("status", get_args(IndicatorStatus))
def test_every_status_reads_as_words(status):
    indicator = Indicator.model_validate({**BASE, "status": status})
    assert indicator.status_label == INDICATOR_STATUSES[status]
    assert indicator.status_label.replace(" ", "").isalpha()


@pytest.mark.parametrize("judgment", [0, "2", 1.5, True])
def test_a_key_judgment_is_named_by_its_number_from_one(judgment):
    with pytest.raises(ValidationError):
        Indicator.model_validate({**BASE, "status": "observed", "judgment": judgment})


def test_the_time_frame_is_a_period_written_from_and_to():
    indicator = Indicator.model_validate({**BASE, "status": "not-yet-observed", "judgment": 2})
    assert (indicator.time_frame.from_.isoformat(), indicator.time_frame.to.isoformat()) == (
        "2024-02-08", "2024-03-08")
    assert indicator.judgment == 2 and indicator.incidents == [] and indicator.as_of is None

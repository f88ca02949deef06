"""Dates with times and zones as exports write them, and the shop's local day (issue 15)."""
import re
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from shopkeeper.domain.dates import DateError
from shopkeeper.domain.settings import SettingError, ShopSettings, coerce
from shopkeeper.domain.timestamps import (
    detect_stamp_order, machine_zone_name, parse_zone, read_stamp, shop_zone,
)

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")


def utc(*parts):
    return datetime(*parts, tzinfo=timezone.utc)


@pytest.mark.parametrize("text", [
    "2025-10-07 09:50:26 +0200", "2025-10-07T09:50:26+02:00", "2025-10-07T07:50:26Z", "2025-10-07 07:50:26 UTC",
    "2025-10-07 09:50:26.000 +02:00", "2025-10-07T07:50:26.5Z", "2025-10-07 03:50:26 -0400",
    "2025-10-07 3:50:26 AM EDT", "2025-10-07 09:50:26 Europe/Paris", "2025-10-07 03:50:26 −04:00",
])
def test_one_instant_however_it_is_written(text):
    stamp = read_stamp(text, PARIS)
    assert stamp.at.replace(microsecond=0) == utc(2025, 10, 7, 7, 50, 26)
    assert stamp.day == date(2025, 10, 7)
    assert stamp.utc_text == "2025-10-07T07:50:26Z"


def test_a_time_without_a_zone_is_the_shops_local_time():
    assert read_stamp("2025-10-07 09:50", PARIS).at == utc(2025, 10, 7, 7, 50)
    assert read_stamp("2025-10-07T09:50", NEW_YORK).at == utc(2025, 10, 7, 13, 50)


@pytest.mark.parametrize("time_text, hour, minute", [("9:50 AM", 9, 50), ("9:50 pm", 21, 50), ("12:05 AM", 0, 5),
                                                     ("12:05 PM", 12, 5), ("9:50:07 a.m.", 9, 50), ("21:50", 21, 50)])
def test_twelve_hour_times(time_text, hour, minute):
    stamp = read_stamp("2025-10-07", timezone.utc, time_text=time_text)
    assert (stamp.at.hour, stamp.at.minute, stamp.day) == (hour, minute, date(2025, 10, 7))


@pytest.mark.parametrize("bad, said", [
    ("2025-10-07 13:50 PM", "not a 12-hour time"), ("2025-10-07 0:10 AM", "not a 12-hour time"),
    ("2025-10-07 24:00", "does not exist"), ("2025-10-07 09:61", "does not exist"),
    ("2025-02-30 10:00", "'2025-02-30' does not exist"), ("2025-10-07 09:50 +2500", "'+2500'"),
    ("2025-10-07 09:50 Mars/Olympus", "'Mars/Olympus' is not a zone"), ("yesterday", "'yesterday' is not like"),
    ("2025-10-07 +02:00", "no time"), ("", "empty"),
])
def test_what_is_not_a_stamp_is_refused_saying_what(bad, said):
    with pytest.raises(DateError, match=re.escape(said)):
        read_stamp(bad, PARIS)


def test_separate_date_time_and_zone_columns_as_square_writes_them():
    stamp = read_stamp("2025-10-07", PARIS, time_text="14:30:00", zone_text="Pacific Time (US & Canada)")
    assert stamp.at == utc(2025, 10, 7, 21, 30)
    assert stamp.day == date(2025, 10, 7)  # 23:30 in Paris: still the 7th


def test_an_evening_order_on_the_west_coast_is_the_next_day_in_paris():
    stamp = read_stamp("2025-10-07 23:30:00 -0700", PARIS)
    assert stamp.day == date(2025, 10, 8)
    assert read_stamp("2025-10-07 23:30:00 -0700", ZoneInfo("America/Los_Angeles")).day == date(2025, 10, 7)


@pytest.mark.parametrize("text, day", [
    ("2025-10-07 23:59:59 +0200", date(2025, 10, 7)),  # last second of the day in Paris
    ("2025-10-08 00:00:00 +0200", date(2025, 10, 8)),  # first second of the next
    ("2025-10-07T21:59:59Z", date(2025, 10, 7)),
    ("2025-10-07T22:00:00Z", date(2025, 10, 8)),
    ("2025-10-08 00:30 +0300", date(2025, 10, 7)),  # Athens' early morning is Paris' late evening
])
def test_edges_of_a_day(text, day):
    assert read_stamp(text, PARIS).day == day


def test_across_the_spring_daylight_saving_change():
    # Paris went from +01:00 to +02:00 on 2025-03-30 at 01:00 UTC
    assert read_stamp("2025-03-29T23:30:00Z", PARIS).day == date(2025, 3, 30)  # 00:30 +01:00
    assert read_stamp("2025-03-29T22:30:00Z", PARIS).day == date(2025, 3, 29)  # 23:30 +01:00
    assert read_stamp("2025-03-30T22:30:00Z", PARIS).day == date(2025, 3, 31)  # 00:30 +02:00 (a winter offset would say 30th)
    assert read_stamp("2025-03-30 12:00", PARIS).at == utc(2025, 3, 30, 10)  # local noon after the change is +02:00
    assert read_stamp("2025-03-29 12:00", PARIS).at == utc(2025, 3, 29, 11)


def test_across_the_autumn_daylight_saving_change_in_new_york():
    # New York went from -04:00 to -05:00 on 2025-11-02 at 06:00 UTC
    assert read_stamp("2025-11-02T03:30:00Z", NEW_YORK).day == date(2025, 11, 1)  # 23:30 -04:00
    assert read_stamp("2025-11-03T04:30:00Z", NEW_YORK).day == date(2025, 11, 2)  # 23:30 -05:00
    assert read_stamp("2025-11-02", NEW_YORK, time_text="11:00 PM", zone_text="Eastern Time (US & Canada)").at == utc(2025, 11, 3, 4)


def test_a_date_alone_stays_the_day_written():
    stamp = read_stamp("2025-10-07", PARIS)
    assert (stamp.day, stamp.at, stamp.utc_text) == (date(2025, 10, 7), None, None)


def test_day_first_and_month_first_dates_follow_the_column_order():
    values = ["10/07/2025 9:50 AM", "10/13/2025 1:00 PM"]
    assert detect_stamp_order(values) == "mdy"
    assert read_stamp(values[0], timezone.utc, order="mdy").day == date(2025, 10, 7)
    assert detect_stamp_order(["13/10/2025 09:00", "07.10.2025 10:00"]) == "dmy"
    assert read_stamp("07.10.2025 10:00", timezone.utc, order="dmy").day == date(2025, 10, 7)
    with pytest.raises(DateError, match="day/month or month/day"):
        read_stamp("10/07/2025 9:50", timezone.utc)


@pytest.mark.parametrize("text, minutes", [("UTC+2", 120), ("GMT-07:00", -420), ("+0530", 330), ("PDT", -420),
                                           ("(GMT-08:00) Pacific Time (US & Canada)", None), ("Europe/Paris", None)])
def test_zone_names_and_offsets(text, minutes):
    zone = parse_zone(text)
    if minutes is not None:
        assert zone.utcoffset(None).total_seconds() == minutes * 60


def test_machine_zone_from_tz_then_localtime_then_utc(tmp_path):
    assert machine_zone_name({"TZ": "Europe/Paris"}, tmp_path / "none", tmp_path / "none") == "Europe/Paris"
    link = tmp_path / "localtime"
    link.symlink_to("/usr/share/zoneinfo/America/Denver")
    assert machine_zone_name({}, link, tmp_path / "none") == "America/Denver"
    (tmp_path / "timezone").write_text("Asia/Tokyo\n")
    assert machine_zone_name({"TZ": "Nowhere/Atlantis"}, tmp_path / "none", tmp_path / "timezone") == "Asia/Tokyo"
    assert machine_zone_name({}, tmp_path / "none", tmp_path / "none") == "UTC"


def test_time_zone_setting_defaults_to_the_machine_and_refuses_unknown_zones(monkeypatch):
    assert ShopSettings().time_zone == ""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert shop_zone("") == ZoneInfo("Asia/Tokyo")
    assert shop_zone("Europe/Paris") == PARIS
    assert coerce("time_zone", " Europe/Paris ") == "Europe/Paris"
    assert coerce("time_zone", "") == ""
    with pytest.raises(SettingError, match="Europe/Paris"):
        coerce("time_zone", "Paris")

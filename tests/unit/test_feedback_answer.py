"""Feedback that gets answered (issue 14, item 1): low scores and complaints on the checklist until a
contact that reaches the customer; "would recommend us?" makes an advocate; the monthly scores in
Insights; the testimonials customers allowed us to quote."""
import json
from datetime import timedelta

from shopkeeper.insights import compute_insights


def _answer_ids(shop, day):
    return [item.customer_id for item in shop.checklist(day).feedback_to_answer]


def test_a_low_score_is_to_answer_until_a_contact_reaches_them(shop, make):
    rude = make.buyer("Rita Rude", 30)
    happy = make.buyer("Hana Happy", 30)
    shop.add_feedback(rude, 1, "rude staff", False, make.ago(5))
    shop.add_feedback(happy, 5, "lovely", True, make.ago(5))
    assert _answer_ids(shop, make.ago(6)) == []  # not given yet on that day
    assert _answer_ids(shop, make.ago(5)) == [rude]
    shop.log_contact(rude, "no_answer", make.ago(3))  # a try does not answer it
    item = shop.checklist(make.ago(3)).feedback_to_answer[0]
    assert (item.score, item.text, item.attempts) == (1, "rude staff", 0)  # the try was not about the row
    shop.log_contact(rude, "reached", make.ago(2), "apologised")
    assert _answer_ids(shop, make.ago(3)) == [rude]  # as of the day before the call, still there
    assert _answer_ids(shop, make.ago(2)) == []


def test_a_contact_before_the_feedback_does_not_answer_it(shop, make):
    cid = make.buyer("Carl Complaint", 30)
    shop.log_contact(cid, "reached", make.ago(10))
    shop.add_feedback(cid, 4, "the parcel came broken", False, make.ago(5), complaint=True)
    item = shop.checklist(make.today).feedback_to_answer[0]
    assert (item.customer_id, item.complaint) == (cid, True)
    assert shop.checklist(make.today).to_json()["feedback_to_answer"][0]["given_on"] == make.ago(5).isoformat()


def test_a_yes_to_would_recommend_makes_an_advocate_from_that_day(shop, make):
    cid = make.buyer("Wanda Would", 30)
    other = make.buyer("Nina No", 30)
    shop.add_feedback(cid, 4, "", False, make.ago(5), would_recommend=True)
    shop.add_feedback(other, 4, "", False, make.ago(5), would_recommend=False)
    assert shop.card(cid, make.ago(6)).level == 1
    assert shop.card(cid, make.ago(5)).level == 3
    assert shop.card(other, make.today).level == 1
    assert shop.card(cid, make.today).feedback[0].would_recommend is True


def test_insights_show_average_count_and_trend_by_month(shop, make, run, tmp_path):
    cid = make.buyer("Mona Month", 90)
    shop.add_feedback(cid, 2, "", False, make.today.replace(day=1) - timedelta(days=20))  # February
    shop.add_feedback(cid, 4, "", False, make.today.replace(day=1) - timedelta(days=10))  # February
    shop.add_feedback(cid, 5, "", False, make.today, would_recommend=True)  # March
    figures = compute_insights(shop, make.today).feedback
    assert figures["count"] == 3 and figures["average"] == "3.7"
    assert [(m["month"], m["count"], m["average"]) for m in figures["by_month"]] == [
        ("2026-02", 2, "3.0"), ("2026-03", 1, "5.0")]
    assert compute_insights(shop, make.today - timedelta(days=5)).feedback["count"] == 2  # as of the day
    code, out, _ = run("insights", "--db", shop.location, "--date", make.today.isoformat(), "--format", "json")
    assert code == 0 and json.loads(out)["feedback"]["by_month"][-1] == {
        "month": "2026-03", "count": 1, "average": "5.0", "would_recommend": 1}


def test_export_testimonials_lists_only_what_we_may_quote(shop, make, run):
    cid = make.buyer("Quinn Quote", 30)
    shop.add_feedback(cid, 5, "Best tea in town", True, make.ago(3))
    shop.add_feedback(cid, 4, "private remark", False, make.ago(2))
    code, out, _ = run("export", "testimonials", "--db", shop.location, "--date", make.today.isoformat(), "--format", "json")
    assert code == 0
    assert [(r["name"], r["text"], r["score"]) for r in json.loads(out)] == [("Quinn Quote", "Best tea in town", 5)]
    code, out, _ = run("export", "testimonials", "--db", shop.location, "--date", make.ago(4).isoformat())
    assert out.splitlines() == ["feedback_id,customer_id,name,date,score,text"]  # not given yet that day


def test_checklist_table_and_csv_show_feedback_to_answer(shop, make, run):
    cid = make.buyer("Tina Table", 30)
    shop.add_feedback(cid, 2, "too slow", False, make.ago(1))
    code, out, _ = run("checklist", "--db", shop.location, "--date", make.today.isoformat())
    assert code == 0 and "Feedback to answer (1)" in out and "too slow" in out
    code, out, _ = run("checklist", "--db", shop.location, "--date", make.today.isoformat(), "--format", "csv")
    assert f"feedback_to_answer,{cid},Tina Table,06 11 22 33 44,2★: too slow,{make.ago(1).isoformat()}" in out

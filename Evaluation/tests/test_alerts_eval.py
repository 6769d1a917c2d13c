"""alerts_eval's incidents without an alert of their own, on a hand-made stream (no smon, no
scikit-learn needed)."""
import alerts_eval


def alert(inc, fp, status="firing"):
    return {"incident_id": inc, "fingerprint": fp, "status": status}


def test_incidents_without_an_alert_of_their_own():
    # A fires f1; B only re-notifies f1 while A's episode of it still fires: no alert of its
    # own. f1 resolves; C fires f1 again (its own episode), and re-notifies f2 of D's episode.
    # E's only alert is on f2 while D's episode fires, then D resolves f2 and E fires it anew.
    stream = [alert("A", "f1"), alert("B", "f1"), alert("A", "f1", "resolved"), alert("C", "f1"),
              alert("D", "f2"), alert("C", "f2"), alert("E", "f2"), alert("D", "f2", "resolved"), alert("E", "f2")]
    assert alerts_eval.incidents_without_an_alert_of_their_own(stream) == {"B"}
    assert alerts_eval.incidents_without_an_alert_of_their_own(stream[:7]) == {"B", "E"}
    assert alerts_eval.incidents_without_an_alert_of_their_own([]) == set()

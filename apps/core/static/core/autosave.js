/* Saving a form's changes as the user makes them, shared by the producer's self-assessment and
   the council member's scorecard. One save is in flight at a time, so a quick second change can
   never be overtaken by the first; changes made meanwhile are merged (choices and comments per
   key, the latest knock-out list) and sent together when it returns, so thirty quick clicks cost
   a few requests, not thirty. `box.dataset.pending` is "1" while a change is not saved, else "0".

   OcopAutosave(box, send, onPending) -> {enqueue(changes), whenSaved(callback)}
   `send(changes)` returns a promise that settles once the server has answered. */
(function () {
  "use strict";

  function merge(into, changes) {
    ["choices", "comments"].forEach(function (key) {
      if (changes[key]) { into[key] = Object.assign(into[key] || {}, changes[key]); }
    });
    if (changes.knockouts) { into.knockouts = changes.knockouts; }
    return into;
  }

  window.OcopAutosave = function (box, send, onPending) {
    var pending = 0;
    var inFlight = false;
    var next = null;
    var waiters = [];

    function setPending(n) {
      pending = n;
      box.dataset.pending = String(n);
      if (onPending) { onPending(n); }
      if (n === 0) { waiters.splice(0).forEach(function (done) { done(); }); }
    }

    function flush() {
      var changes = next;
      next = null;
      inFlight = true;
      Promise.resolve(send(changes)).catch(function () { return null; }).then(function () {
        inFlight = false;
        if (next) { flush(); } else { setPending(0); }
      });
    }

    setPending(0);
    return {
      enqueue: function (changes) {
        next = merge(next || {}, changes);
        setPending(1);
        if (!inFlight) { flush(); }
      },
      whenSaved: function (done) {
        if (pending === 0) { done(); } else { waiters.push(done); }
      },
      pending: function () { return pending; }
    };
  };
})();

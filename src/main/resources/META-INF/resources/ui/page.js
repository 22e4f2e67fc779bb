// idgate's page. It holds no data of its own: every view is fetched from /api/v1/reach with the bearer
// token the operator gives, and drawn by idgate's own renderer (idgate reach -o html) in a sandboxed
// frame. Without a token the API accepts for the viewer role, nothing is shown but the reason.
(function () {
  'use strict';
  var KEY = 'idgate.token';
  var API = '../api/v1/reach';
  var $ = function (id) { return document.getElementById(id); };

  function token() { return sessionStorage.getItem(KEY) || ''; }

  function say(text, isError) {
    $('status').textContent = text;
    $('status').classList.toggle('error', !!isError);
  }

  // A rendering of idgate reach -o html in a new sandboxed frame: its script runs in an opaque origin
  // (it cannot read this page or the token), and a new frame each time because Chromium leaves a
  // reused frame blank when it was first loaded while its section was hidden.
  function draw(slot, id, title, html) {
    var frame = document.createElement('iframe');
    frame.id = id;
    frame.title = title;
    frame.setAttribute('sandbox', 'allow-scripts');
    frame.srcdoc = html;
    $(slot).replaceChildren(frame);
  }

  // Drops everything drawn from the API, so a refused or forgotten token leaves no data on screen.
  function clearData() {
    $('data').hidden = true;
    $('graph-slot').replaceChildren();
    $('diff-slot').replaceChildren();
    $('what-if-result').hidden = true;
    $('peers').textContent = '';
  }

  function Refusal(message, fatal) { this.message = message; this.fatal = fatal; }

  // One fetch with the token; a refusal becomes one sentence saying what to do.
  function call(path, options) {
    options = options || {};
    options.cache = 'no-store';
    options.headers = Object.assign({ 'Authorization': 'Bearer ' + token() }, options.headers || {});
    return fetch(path, options).then(function (r) {
      if (r.ok) { return r; }
      return r.text().then(function (body) {
        var message = '';
        try { message = JSON.parse(body).message || ''; } catch (e) { /* not a Status */ }
        if (r.status === 401) {
          throw new Refusal('No data: idgate refused the token (401): it is missing, expired or not from the issuer idgate trusts. Give a fresh token.', true);
        }
        if (r.status === 403) {
          throw new Refusal('No data: the token is valid but has no viewer role (403): none of its groups is one of idgate.api.viewer-groups or admin-groups.', true);
        }
        throw new Refusal((message || ('idgate answered HTTP ' + r.status)), r.status >= 500 && r.status !== 503);
      });
    });
  }

  function failed(e) {
    if (e instanceof Refusal) {
      if (e.fatal) {
        clearData();
        if (/^No data/.test(e.message)) { sessionStorage.removeItem(KEY); }
      }
      say(e.message, true);
    } else {
      clearData();
      say('No data: idgate could not be reached (' + e.message + ').', true);
    }
  }

  function query() {
    var q = new URLSearchParams();
    q.set('by', $('by').value);
    var focus = $('focus').value.trim();
    if (focus) { q.set('focus', focus); }
    if ($('spoofable').checked) { q.set('spoofable', 'true'); }
    return q;
  }

  function fillPeers(json) {
    var names = json.peers.map(function (p) { return p.id; });
    json.peers.forEach(function (p) { if (p.namespace) { names.push(p.namespace + '/*'); } });
    var list = $('peers');
    list.textContent = '';
    Array.from(new Set(names)).sort().forEach(function (n) {
      var o = document.createElement('option');
      o.value = n;
      list.appendChild(o);
    });
  }

  function show() {
    if (!token()) {
      clearData();
      say('Give a bearer token with idgate\'s viewer role to see the graph.', false);
      return Promise.resolve();
    }
    say('Loading…', false);
    var q = query();
    var html = new URLSearchParams(q); html.set('output', 'html');
    var all = new URLSearchParams({ by: q.get('by'), output: 'json' });
    return Promise.all([call(API + '?' + all).then(function (r) { return r.json(); }),
      call(API + '?' + html).then(function (r) { return r.text(); })])
      .then(function (answers) {
        fillPeers(answers[0]);
        $('data').hidden = false;
        draw('graph-slot', 'graph', 'Reachability graph and matrix', answers[1]);
        var shown = q.get('by') + ' view' + (q.get('focus') ? ', focus ' + q.get('focus') : '') + (q.get('spoofable') ? ', spoofable edges only' : '');
        say('Showing the ' + shown + ': ' + answers[0].peers.length + ' peers, ' + answers[0].connections.length + ' connected pairs in all.', false);
      })
      .catch(failed);
  }

  function whatIf() {
    var body = $('policy').value;
    if (!body.trim()) {
      say('Paste a NetworkPolicy (YAML or JSON) into the what-if box first.', true);
      return Promise.resolve();
    }
    var by = encodeURIComponent($('by').value);
    var post = { method: 'POST', body: body, headers: { 'Content-Type': 'application/yaml' } };
    say('Comparing…', false);
    // JSON first: it refuses a policy the API server would refuse, and names broken invariants
    return call(API + '/diff?by=' + by, post).then(function (r) { return r.json(); })
      .then(function (json) {
        return call(API + '/diff?output=html&by=' + by, { method: 'POST', body: body, headers: post.headers })
          .then(function (r) { return r.text(); })
          .then(function (html) {
            var d = json.diff;
            $('what-if-summary').textContent = d.added.length + ' added, ' + d.removed.length + ' removed, ' + d.changed.length
              + ' changed (' + $('by').value + ' view)' + (json.invariants.length ? '; ' + json.invariants.length + ' invariant(s) would refuse it:' : '.');
            fillList($('what-if-invariants'), json.invariants.map(function (i) { return '[' + i.invariant + ', ' + i.action + '] ' + i.message; }));
            fillList($('what-if-ignored'), json.ignored);
            $('what-if-result').hidden = false;
            draw('diff-slot', 'diff', 'Added and removed edges', html);
            say('What if: ' + $('what-if-summary').textContent, false);
          });
      })
      .catch(function (e) {
        $('what-if-result').hidden = true;
        $('diff-slot').replaceChildren();
        failed(e);
      });
  }

  function fillList(ul, lines) {
    ul.textContent = '';
    lines.forEach(function (line) {
      var li = document.createElement('li');
      li.textContent = line;
      ul.appendChild(li);
    });
  }

  $('token-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var t = $('token').value.trim().replace(/^Bearer\s+/i, '');
    $('token').value = '';
    if (!t) { say('Paste a bearer token first.', true); return; }
    sessionStorage.setItem(KEY, t);
    show();
  });
  $('forget-token').addEventListener('click', function () {
    sessionStorage.removeItem(KEY);
    clearData();
    say('Token forgotten. Give a bearer token with idgate\'s viewer role to see the graph.', false);
  });
  $('view-form').addEventListener('submit', function (ev) { ev.preventDefault(); show(); });
  $('by').addEventListener('change', function () {
    // peer names differ between views; a namespace focus means the same in each
    if (!/\/\*$/.test($('focus').value.trim())) { $('focus').value = ''; }
    show();
  });
  $('what-if-form').addEventListener('submit', function (ev) { ev.preventDefault(); whatIf(); });
  show();
})();

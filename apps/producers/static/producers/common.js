/* Shared map set-up for the producer pages: offline Leaflet, credits, optional basemap,
   and the pilot province's communes as a light backdrop. */
window.OcopMap = (function () {
  "use strict";
  function make(el) {
    var map = L.map(el).setView([10.1, 106.3], 10);
    el.ocopMap = map;  // for tests and other scripts on the page
    map.attributionControl.setPrefix(false);
    JSON.parse(document.getElementById("map-attributions").textContent).forEach(function (a) {
      map.attributionControl.addAttribution(a);
    });
    if (el.dataset.basemap) {
      L.tileLayer(el.dataset.basemap, { attribution: el.dataset.basemapAttribution || "" }).addTo(map);
    }
    return map;
  }
  function communes(map, url, params) {
    var q = new URLSearchParams(Object.assign({ format: "geojson", level: "commune", page_size: 1000 }, params));
    return fetch(url + "?" + q, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (fc) {
        return L.geoJSON(fc, { style: { color: "#8aa397", weight: 1, fillOpacity: 0.08, className: "backdrop" } }).addTo(map);
      });
  }
  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function send(method, url, body) {
    return fetch(url, {
      method: method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), Accept: "application/json" },
      body: JSON.stringify(body)
    }).then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); });
  }
  return { make: make, communes: communes, send: send };
})();

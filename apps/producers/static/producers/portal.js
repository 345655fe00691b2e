/* Registration: a click on the map sets the hidden lon/lat fields. */
(function () {
  "use strict";
  var el = document.getElementById("pick-map");
  if (!el) { return; }
  var map = OcopMap.make(el);
  OcopMap.communes(map, el.dataset.units, { parent: el.dataset.pilot }).then(function (layer) {
    map.fitBounds(layer.getBounds());
    el.dataset.ready = "1";
  });
  var lon = document.getElementById("id_lon"), lat = document.getElementById("id_lat");
  var marker = null;
  function place(latlng) {
    if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
    lon.value = latlng.lng.toFixed(6);
    lat.value = latlng.lat.toFixed(6);
  }
  if (lon.value && lat.value) { place(L.latLng(parseFloat(lat.value), parseFloat(lon.value))); }
  map.on("click", function (e) { place(e.latlng); });
})();

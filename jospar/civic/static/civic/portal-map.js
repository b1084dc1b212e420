/* The citizens' portal maps. Regions are drawn from our own boundaries (no tile server is
   needed to see Kazakhstan; a tile layer is added only when MAP_TILE_URL names one).
   - #portal-map: public reports as red/green points and cluster bubbles, asked of the server
     for the viewport and zoom (server-side clustering);
   - #file-map: the filing form's pin, written to the hidden latitude/longitude inputs;
   - #report-map: one report's point. */
(function () {
  "use strict";
  var RED = "#c62828", GREEN = "#2e7d32", GREY = "#78909c";
  var KZ = [[40.5, 46.4], [55.5, 87.4]];

  function config() {
    var el = document.getElementById("portal-map-config");
    return el ? JSON.parse(el.textContent) : {};
  }

  function baseMap(el, cfg, options) {
    var map = L.map(el, Object.assign({ attributionControl: false, zoomSnap: 0.5, minZoom: 3, maxZoom: 18 }, options || {}));
    if (cfg.tiles) {
      L.tileLayer(cfg.tiles, { maxZoom: 18 }).addTo(map);
    }
    el._civicMap = map;
    return map;
  }

  function drawRegions(map, url, clickable) {
    if (!url) { return Promise.resolve(null); }
    return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      return L.geoJSON(data, {
        interactive: !!clickable,
        style: function () { return { color: "#546e7a", weight: 1, fillColor: "#eef3f6", fillOpacity: 0.6 }; },
        onEachFeature: function (feature, shape) {
          if (clickable) { shape.bindTooltip(feature.properties.name, { sticky: true }); }
        }
      }).addTo(map);
    });
  }

  function escapeHtml(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function bubble(cluster, text) {
    var size = cluster.count < 10 ? 30 : cluster.count < 100 ? 38 : 46;
    var cls = cluster.green === 0 ? "red" : cluster.red === 0 ? "green" : "mixed";
    var share = cluster.count ? Math.round(100 * cluster.red / cluster.count) : 0;
    // Built as an element, its colours set through the DOM: the Content-Security-Policy refuses
    // style attributes in markup.
    var span = document.createElement("span");
    span.className = "cluster " + cls;
    if (cls === "mixed") { span.style.background = "conic-gradient(" + RED + " 0 " + share + "%, " + GREEN + " " + share + "% 100%)"; }
    span.title = cluster.red + " " + text.open + ", " + cluster.green + " " + text.done;
    span.textContent = String(cluster.count);
    return L.divIcon({ className: "cluster-icon", html: span, iconSize: [size, size] });
  }

  function initPortal(el, cfg) {
    var map = baseMap(el, cfg, { scrollWheelZoom: true });
    map.fitBounds(KZ);
    var layer = L.layerGroup().addTo(map);
    var status = document.getElementById("portal-map-status");
    var text = cfg.text || {};
    var pending = null;
    function load() {
      var b = map.getBounds();
      var bbox = [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()].map(function (v) { return v.toFixed(5); }).join(",");
      var url = cfg.clusters + "?bbox=" + bbox + "&zoom=" + Math.round(map.getZoom()) + (cfg.query ? "&" + cfg.query : "");
      if (pending) { pending.abort(); }
      pending = new AbortController();
      if (status) { status.textContent = text.loading || ""; }
      fetch(url, { credentials: "same-origin", signal: pending.signal }).then(function (r) { return r.json(); }).then(function (data) {
        layer.clearLayers();
        var total = 0;
        data.clusters.forEach(function (c) {
          total += c.count;
          if (c.count === 1) {
            var colour = c.green ? GREEN : c.red ? RED : GREY;
            var marker = L.circleMarker([c.lat, c.lon], { radius: 8, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 1, className: "report-point " + (c.green ? "green" : c.red ? "red" : "grey") });
            if (c.url) {
              marker.bindTooltip(text.report || "");
              marker.on("click", function () { window.location.href = c.url; });
            }
            marker.addTo(layer);
          } else {
            var m = L.marker([c.lat, c.lon], { icon: bubble(c, text), keyboard: true, title: c.count + " " + (text.reports || "") });
            m.on("click", function () { map.setView([c.lat, c.lon], Math.min(map.getZoom() + 2, 18)); });
            m.addTo(layer);
          }
        });
        el.setAttribute("data-ready", String(total));
        el.setAttribute("data-clusters", String(data.clusters.length));
        if (status) { status.textContent = ""; }
      }).catch(function (err) {
        if (err && err.name === "AbortError") { return; }
        if (status) { status.textContent = text.failed || "Error"; }
      });
    }
    drawRegions(map, cfg.boundaries, true).then(load, load);
    map.on("moveend", load);
  }

  function initFiling(el, cfg) {
    var map = baseMap(el, cfg, { scrollWheelZoom: true });
    var lat = document.getElementById("id_latitude");
    var lon = document.getElementById("id_longitude");
    var status = document.getElementById("pin-status");
    var marker = null;
    function place(latlng, fromUser) {
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, keyboard: true }).addTo(map);
        marker.on("dragend", function () { place(marker.getLatLng(), true); });
      } else {
        marker.setLatLng(latlng);
      }
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      if (status && fromUser) { status.textContent = status.getAttribute("data-placed") || "✓ " + lat.value + ", " + lon.value; }
      if (fromUser) { nearby(); }
    }
    function nearby() {
      var box = document.getElementById("nearby-live");
      var topic = document.getElementById("id_topic");
      if (!box || !topic || !topic.value || !lat.value || typeof htmx === "undefined") { return; }
      htmx.ajax("GET", el.getAttribute("data-nearby") + "?topic=" + encodeURIComponent(topic.value) + "&latitude=" + lat.value + "&longitude=" + lon.value, { target: "#nearby-live", swap: "innerHTML" });
    }
    var topicSelect = document.getElementById("id_topic");
    if (topicSelect) { topicSelect.addEventListener("change", nearby); }
    map.on("click", function (e) { place(e.latlng, true); });
    drawRegions(map, cfg.boundaries, false);
    if (lat.value && lon.value) {
      var p = L.latLng(parseFloat(lat.value), parseFloat(lon.value));
      place(p, false);
      map.setView(p, 14);
    } else {
      map.fitBounds(KZ);
    }
    el.setAttribute("data-ready", "1");
  }

  function initReport(el, cfg) {
    var map = baseMap(el, cfg, { scrollWheelZoom: false });
    var p = [parseFloat(el.getAttribute("data-lat")), parseFloat(el.getAttribute("data-lon"))];
    var colour = { red: RED, green: GREEN }[el.getAttribute("data-colour")] || GREY;
    drawRegions(map, cfg.boundaries, false).then(function (regions) {
      if (regions) { regions.bringToBack(); }
    });
    L.circleMarker(p, { radius: 10, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 1, className: "report-point" }).addTo(map);
    map.setView(p, cfg.tiles ? 15 : 9);
    el.setAttribute("data-ready", "1");
  }

  function init() {
    if (typeof L === "undefined") { return; }
    var cfg = config();
    var el = document.getElementById("portal-map");
    if (el) { initPortal(el, cfg); }
    el = document.getElementById("file-map");
    if (el) { initFiling(el, cfg); }
    el = document.getElementById("report-map");
    if (el) { initReport(el, cfg); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

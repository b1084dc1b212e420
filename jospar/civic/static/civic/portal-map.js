/* The citizens' portal maps. Under the pins every map draws jospar's own vector layers —
   today's regions (from our stored boundaries) and the settlements of the packaged gazetteer,
   with their names — so that it orients people even when the tile server cannot be reached.
   The tile layer (MAP_TILE_URL, OpenStreetMap by default) is drawn beneath them; when its tiles
   fail it is dropped quietly and the vector layers stay. A search box moves the map to a
   settlement, a region or (with a geocoder) an address, asked of jospar's own server.
   - #portal-map: public reports as red/green points and cluster bubbles, asked of the server
     for the viewport and zoom (server-side clustering);
   - #file-map: the filing form's pin, written to the hidden latitude/longitude inputs;
   - #report-map: one report's point. */
(function () {
  "use strict";
  var RED = "#c62828", GREEN = "#2e7d32", GREY = "#78909c";
  var KZ = [[40.5, 46.4], [55.5, 87.4]];
  // The smallest settlement named at a zoom: the country shows its cities, a district its towns.
  var LABEL_POPULATION = [[5, 400000], [6, 100000], [7, 40000], [8, 15000], [9, 5000]];

  function config() {
    var el = document.getElementById("portal-map-config");
    return el ? JSON.parse(el.textContent) : {};
  }

  function tileLayer(map, el, cfg) {
    var loaded = 0, failed = 0;
    // The attribution is the map's, not the layer's: it stays when failed tiles are dropped.
    var layer = L.tileLayer(cfg.tiles, { maxZoom: cfg.tileMaxZoom || 19 });
    if (cfg.tileAttribution) { map.attributionControl.addAttribution(cfg.tileAttribution); }
    layer.on("tileload", function () { loaded += 1; el.setAttribute("data-tiles", "loaded"); });
    layer.on("tileerror", function () {
      failed += 1;
      // Offline or blocked: stop asking after a few failures; regions and settlements remain.
      if (!loaded && failed >= 4 && map.hasLayer(layer)) {
        map.removeLayer(layer);
        el.setAttribute("data-tiles", "failed");
      }
    });
    layer.addTo(map);
    return layer;
  }

  function baseMap(el, cfg, options) {
    var maxZoom = cfg.tiles ? (cfg.tileMaxZoom || 19) : 18;
    var map = L.map(el, Object.assign({ attributionControl: !!cfg.tiles, zoomSnap: 0.5, minZoom: 3, maxZoom: maxZoom }, options || {}));
    if (map.attributionControl) { map.attributionControl.setPrefix(false); }
    map.createPane("regions").style.zIndex = 300;
    map.createPane("places").style.zIndex = 350;
    map.createPane("placeLabels").style.zIndex = 360;
    map.getPane("placeLabels").style.pointerEvents = "none";
    map.civicTiles = !!cfg.tiles;
    if (cfg.tiles) { tileLayer(map, el, cfg); }
    drawPlaces(map, el, cfg.places);
    if (cfg.search) { searchControl(map, cfg).addTo(map); }
    el._civicMap = map;
    return map;
  }

  function minPopulation(zoom) {
    for (var i = 0; i < LABEL_POPULATION.length; i += 1) {
      if (zoom < LABEL_POPULATION[i][0]) { return LABEL_POPULATION[i][1]; }
    }
    return 0;
  }

  function drawPlaces(map, el, url) {
    if (!url) { return; }
    var points = L.layerGroup().addTo(map);
    var labels = L.layerGroup().addTo(map);
    var places = [];
    function show() {
      var least = minPopulation(map.getZoom());
      var bounds = map.getBounds().pad(0.2);
      points.clearLayers();
      labels.clearLayers();
      var shown = 0;
      places.forEach(function (p) {
        if (p.population < least || !bounds.contains(p.latlng)) { return; }
        shown += 1;
        L.circleMarker(p.latlng, { pane: "places", radius: p.population >= 100000 ? 4 : 3, color: "#37474f", weight: 1, fillColor: "#fff", fillOpacity: 1, interactive: false, className: "place-point" }).addTo(points);
        L.marker(p.latlng, { pane: "placeLabels", interactive: false, keyboard: false, icon: L.divIcon({ className: "place-label" + (p.population >= 100000 ? " place-city" : ""), html: "<span>" + escapeHtml(p.name) + "</span>", iconSize: null }) }).addTo(labels);
      });
      el.setAttribute("data-places", String(shown));
    }
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      places = data.features.map(function (f) {
        return { name: f.properties.name, population: f.properties.population, latlng: L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]) };
      });
      show();
      map.on("zoomend moveend", show);
    }).catch(function () { el.setAttribute("data-places", "0"); });
  }

  function searchControl(map, cfg) {
    var text = cfg.searchText || {};
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      // A div, not a form: the filing map lives inside the report's own form.
      var box = L.DomUtil.create("div", "map-search");
      box.setAttribute("role", "search");
      var label = L.DomUtil.create("label", "visually-hidden", box);
      var input = L.DomUtil.create("input", "map-search-input", box);
      var button = L.DomUtil.create("button", "map-search-button", box);
      var list = L.DomUtil.create("ul", "map-search-results", box);
      var status = L.DomUtil.create("p", "map-search-status small", box);
      var id = "map-search-" + Math.random().toString(36).slice(2, 8);
      input.id = id;
      input.type = "search";
      input.autocomplete = "off";
      input.placeholder = text.placeholder || "";
      input.setAttribute("aria-label", text.label || "");
      label.htmlFor = id;
      label.textContent = text.label || "";
      button.type = "button";
      button.textContent = text.button || "Find";
      status.setAttribute("aria-live", "polite");
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      function go(result) {
        if (result.bbox) {
          map.fitBounds([[result.bbox[1], result.bbox[0]], [result.bbox[3], result.bbox[2]]]);
        } else {
          map.setView([result.lat, result.lon], result.kind === "address" ? 16 : (result.population >= 100000 ? 11 : 13));
        }
        list.innerHTML = "";
        status.textContent = result.name;
        map.getContainer().setAttribute("data-search", result.name);
      }
      function search() {
        var q = input.value.trim();
        list.innerHTML = "";
        if (q.length < 2) { return; }
        fetch(cfg.search + "?q=" + encodeURIComponent(q), { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
          status.textContent = data.results.length ? "" : (text.none || "");
          if (data.results.length === 1) { go(data.results[0]); return; }
          data.results.forEach(function (result, index) {
            var item = L.DomUtil.create("li", "", list);
            var choose = L.DomUtil.create("button", "map-search-result", item);
            choose.type = "button";
            choose.textContent = result.name + (result.region ? " — " + result.region : "");
            choose.addEventListener("click", function () { go(result); });
            if (index === 0) { choose.setAttribute("data-first", "1"); }
          });
          if (data.results.length) { go(data.results[0]); list.hidden = false; }
        }).catch(function () { status.textContent = text.failed || ""; });
      }
      button.addEventListener("click", search);
      input.addEventListener("keydown", function (e) {
        if (e.key === "Enter") { e.preventDefault(); search(); }
      });
      return box;
    };
    return control;
  }

  function drawRegions(map, url, clickable) {
    if (!url) { return Promise.resolve(null); }
    return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      return L.geoJSON(data, {
        pane: "regions",
        interactive: !!clickable,
        style: function () { return { color: "#546e7a", weight: 1, fillColor: "#eef3f6", fillOpacity: map.civicTiles ? 0.1 : 0.6 }; },
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
      var zoom = Math.round(map.getZoom());
      var url = cfg.clusters + "?bbox=" + bbox + "&zoom=" + zoom + (cfg.query ? "&" + cfg.query : "");
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
        // The zoom the drawn points belong to: until it matches the map's, what is drawn is
        // the previous view's (a script or a test waits for it before it clicks a point).
        el.setAttribute("data-drawn-zoom", String(zoom));
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

// The network view: draws the network with cytoscape.js, shows what supports each link, expands
// nodes in place, highlights key nodes and communities, and downloads a picture.
//
// Everything here is an extra: the page works without it (the tables list every entity and link,
// and "Expand" links reload the page). The data comes from a JSON block the server writes
// (never run as script) and, when a node is expanded, from the network's data URL; text is
// always put in with textContent, never as HTML, except the tables the server renders.
(function () {
  "use strict";

  const root = document.getElementById("network");
  const container = document.getElementById("network-canvas");
  const source = document.getElementById("network-elements");
  if (!root || !container || !source || typeof window.cytoscape !== "function") {
    return;
  }

  // The same list as .socex-swatch--N in network.css (Okabe-Ito first: told apart by most people).
  const COMMUNITY_COLOURS = [
    "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00",
    "#cc79a7", "#882255", "#44aa99", "#117733", "#332288", "#999933",
  ];
  const KIND_STYLE = {
    person: { colour: "#1d70b8", shape: "ellipse" },
    phone: { colour: "#00703c", shape: "round-rectangle" },
    vehicle: { colour: "#f47738", shape: "rectangle" },
    location: { colour: "#4c2c92", shape: "diamond" },
    group: { colour: "#d4351c", shape: "hexagon" },
    email: { colour: "#505a5f", shape: "tag" },
    handle: { colour: "#505a5f", shape: "tag" },
  };

  const dataUrl = root.dataset.dataUrl;
  const entityId = root.dataset.entity;
  const canExpand = root.dataset.noExpand !== "true" && Boolean(entityId);
  const detail = document.getElementById("network-detail");
  const legend = document.getElementById("network-legend");
  const status = document.getElementById("network-status");
  const tools = root.querySelector(".socex-network__tools");
  let query = window.location.search.replace(/^\?/, "");
  let payload = JSON.parse(source.textContent);
  let showKeyNodes = false;
  let showCommunities = false;
  let highlighted = null;

  function el(tag, attributes, text) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function say(message) {
    if (status) {
      status.textContent = message;
    }
  }

  function styles() {
    const list = [
      {
        selector: "node",
        style: {
          label: "data(label)",
          "font-size": 10,
          "text-valign": "bottom",
          "text-margin-y": 4,
          "text-wrap": "ellipsis",
          "text-max-width": 120,
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.85,
          "text-background-padding": 2,
          color: "#0b0c0c",
          width: 26,
          height: 26,
          "border-width": 1,
          "border-color": "#0b0c0c",
          "background-color": "#505a5f",
        },
      },
      { selector: "node[?seed]", style: { "border-width": 4, width: 34, height: 34 } },
      {
        selector: "edge",
        style: {
          width: 1.5,
          "line-color": "#6f777b",
          "target-arrow-color": "#6f777b",
          "target-arrow-shape": "triangle",
          "arrow-scale": 0.8,
          "curve-style": "bezier",
        },
      },
      {
        selector: "edge:selected",
        style: {
          label: "data(label)",
          "font-size": 9,
          "text-background-color": "#ffffff",
          "text-background-opacity": 1,
          width: 3,
          "line-color": "#1d70b8",
          "target-arrow-color": "#1d70b8",
        },
      },
      { selector: "node:selected", style: { "overlay-color": "#1d70b8", "overlay-opacity": 0.2, "overlay-padding": 6 } },
      { selector: "node.key", style: { width: 44, height: 44, "border-width": 6, "border-color": "#0b0c0c", "font-weight": "bold" } },
      { selector: ".faded", style: { opacity: 0.15 } },
    ];
    Object.entries(KIND_STYLE).forEach(([kind, look]) => {
      list.push({ selector: `node[kind = "${kind}"]`, style: { "background-color": look.colour, shape: look.shape } });
    });
    COMMUNITY_COLOURS.forEach((colour, index) => {
      list.push({ selector: `node.community-${index + 1}`, style: { "background-color": colour } });
    });
    list.push({ selector: "node.community-other", style: { "background-color": "#b1b4b6" } });
    return list;
  }

  const cy = window.cytoscape({
    container: container,
    elements: { nodes: payload.nodes, edges: payload.edges },
    style: styles(),
    layout: { name: "preset" },
    minZoom: 0.2,
    maxZoom: 3,
  });
  window.socexNetwork = { cy: cy };

  function layout() {
    const far = Math.max(1, ...cy.nodes().map((node) => node.data("hop") || 0));
    cy.layout({
      name: "concentric",
      concentric: (node) => (node.data("seed") ? far + 1 : far - (node.data("hop") || 0)),
      levelWidth: () => 1,
      minNodeSpacing: 28,
      animate: false,
      fit: true,
      padding: 30,
    }).run();
  }

  // --- Highlighting -------------------------------------------------------------------------------

  function communityClass(number) {
    return number >= 1 && number <= COMMUNITY_COLOURS.length ? `community-${number}` : "community-other";
  }

  function clearCommunityClasses() {
    const classes = COMMUNITY_COLOURS.map((_, index) => `community-${index + 1}`).concat(["community-other"]);
    cy.nodes().removeClass(classes.join(" "));
  }

  function applyHighlights() {
    cy.nodes().removeClass("key");
    if (showKeyNodes) {
      cy.nodes().filter((node) => node.data("key")).addClass("key");
    }
    clearCommunityClasses();
    if (showCommunities) {
      cy.nodes().forEach((node) => node.addClass(communityClass(node.data("community"))));
    }
    cy.elements().removeClass("faded");
    if (highlighted !== null) {
      const members = cy.nodes().filter((node) => node.data("community") === highlighted);
      cy.elements().not(members.union(members.edgesWith(members))).addClass("faded");
    }
    drawLegend();
  }

  function drawLegend() {
    legend.replaceChildren();
    if (showKeyNodes) {
      const keys = cy.nodes().filter((node) => node.data("key"));
      legend.append(el("h2", { class: "govuk-heading-s" }, "Key nodes (drawn larger, with a thick border)"));
      const list = el("ul", { class: "govuk-list govuk-list--bullet" });
      keys.forEach((node) => list.append(el("li", {}, `${node.data("label")}: ${node.data("whyKey").join(" and ")}`)));
      if (!keys.length) {
        list.append(el("li", {}, "None: there are too few links to tell."));
      }
      legend.append(list);
    }
    if (showCommunities) {
      legend.append(el("h2", { class: "govuk-heading-s" }, "Communities"));
      const list = el("ul", { class: "govuk-list" });
      (payload.communities || []).forEach((community) => {
        const item = el("li");
        item.append(el("span", { class: `socex-swatch socex-swatch--${communityClass(community.number).replace("community-", "")}`, "aria-hidden": "true" }));
        item.append(document.createTextNode(` Community ${community.number}: ${community.size} entit${community.size === 1 ? "y" : "ies"} `));
        const pressed = highlighted === community.number;
        const button = el(
          "button",
          { type: "button", class: "govuk-button govuk-button--secondary govuk-!-margin-bottom-0 govuk-!-margin-left-2", "data-community": String(community.number), "aria-pressed": String(pressed) },
          pressed ? `Show all` : `Highlight community ${community.number}`,
        );
        item.append(button);
        list.append(item);
      });
      legend.append(list);
    }
  }

  legend.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-community]");
    if (!button) {
      return;
    }
    const number = Number(button.dataset.community);
    highlighted = highlighted === number ? null : number;
    applyHighlights();
    say(highlighted === null ? "Showing every community." : `Community ${number} highlighted; the rest faded.`);
    const again = legend.querySelector(`button[data-community="${number}"]`);
    if (again) {
      again.focus();
    }
  });

  // --- Details of what was selected ---------------------------------------------------------------

  function row(list, key, value) {
    const wrapper = el("div", { class: "govuk-summary-list__row" });
    wrapper.append(el("dt", { class: "govuk-summary-list__key" }, key));
    const cell = el("dd", { class: "govuk-summary-list__value" });
    if (value instanceof Node) {
      cell.append(value);
    } else {
      cell.textContent = value;
    }
    wrapper.append(cell);
    list.append(wrapper);
  }

  function showNode(node) {
    const data = node.data();
    detail.replaceChildren();
    detail.append(el("h2", { class: "govuk-heading-m" }, data.label));
    const list = el("dl", { class: "govuk-summary-list govuk-summary-list--no-border" });
    row(list, "Kind", data.kindLabel);
    if (data.hop !== null && data.hop !== undefined) {
      row(list, "Links away", String(data.hop));
    }
    row(list, "Linked to", String(data.degree));
    row(list, "PageRank", data.pagerank.toFixed(3));
    row(list, "Betweenness", data.betweenness.toFixed(1));
    row(list, "Community", String(data.community));
    if (data.key) {
      row(list, "Key node", data.whyKey.join(" and "));
    }
    detail.append(list);
    const actions = el("div", { class: "govuk-button-group" });
    if (canExpand && !data.seed && !expandedIds().includes(data.id)) {
      actions.append(el("button", { type: "button", class: "govuk-button", "data-expand": data.id }, `Expand ${data.label}`));
    }
    actions.append(el("a", { class: "govuk-link", href: data.url }, "Open its page and reports"));
    if (!data.seed) {
      actions.append(el("a", { class: "govuk-link", href: data.networkUrl }, "Centre the network here"));
    }
    detail.append(actions);
    detail.hidden = false;
  }

  function showEdge(edge) {
    const data = edge.data();
    detail.replaceChildren();
    detail.append(el("h2", { class: "govuk-heading-m" }, `${data.sourceLabel}: ${data.label.toLowerCase()} ${data.targetLabel}`));
    detail.append(el("p", { class: "govuk-body" }, `Supported by ${data.supports.length} record${data.supports.length === 1 ? "" : "s"}, best first:`));
    const list = el("ul", { class: "govuk-list" });
    data.supports.forEach((support) => {
      const item = el("li");
      item.append(el("a", { class: "govuk-link", href: support.url }, support.reference));
      if (support.kind === "report") {
        item.append(document.createTextNode(" "));
        item.append(el("strong", { class: "govuk-tag govuk-tag--grey" }, support.grade || "Not graded"));
        if (support.legacy) {
          item.append(document.createTextNode(" legacy grade, not comparable with 3x5x2"));
        }
      } else if (support.note) {
        item.append(document.createTextNode(` ${support.note}`));
      }
      item.append(document.createTextNode(` (${support.period})`));
      list.append(item);
    });
    detail.append(list);
    detail.hidden = false;
  }

  cy.on("tap", "node", (event) => showNode(event.target));
  cy.on("tap", "edge", (event) => showEdge(event.target));

  // --- Expanding a node ---------------------------------------------------------------------------

  function expandedIds() {
    return new URLSearchParams(query).getAll("expand");
  }

  function merge(data) {
    const wanted = new Set(data.nodes.concat(data.edges).map((item) => item.data.id));
    cy.batch(() => {
      cy.elements().filter((item) => !wanted.has(item.id())).remove();
      data.nodes.forEach((item) => {
        const existing = cy.getElementById(item.data.id);
        if (existing.nonempty()) {
          existing.data(item.data);
        } else {
          cy.add({ group: "nodes", data: item.data });
        }
      });
      data.edges.forEach((item) => {
        const existing = cy.getElementById(item.data.id);
        if (existing.nonempty()) {
          existing.data(item.data);
        } else {
          cy.add({ group: "edges", data: item.data });
        }
      });
    });
  }

  function updatePage(data) {
    query = data.query;
    window.history.replaceState(null, "", `?${query}`);
    const tables = document.getElementById("network-tables");
    if (tables && data.tablesHtml) {
      tables.innerHTML = data.tablesHtml; // rendered and escaped by the server's templates
    }
    const summary = document.getElementById("network-summary");
    if (summary && data.summaryHtml) {
      summary.innerHTML = data.summaryHtml;
    }
    ["nodes", "links"].forEach((what) => {
      const link = document.getElementById(`export-${what}`);
      if (link) {
        link.href = `${link.pathname}?${query}`;
      }
    });
    const filters = document.getElementById("network-filters");
    if (filters) {
      filters.querySelectorAll('input[name="expand"]').forEach((input) => input.remove());
      expandedIds().forEach((id) => filters.append(el("input", { type: "hidden", name: "expand", value: id })));
    }
    window.dispatchEvent(new Event("resize")); // wide tables get their scrolling wrapper again
  }

  async function expand(id, fallbackHref) {
    const params = new URLSearchParams(query);
    params.append("expand", id);
    const label = cy.getElementById(id).data("label") || "the entity";
    say(`Expanding ${label}…`);
    try {
      const response = await fetch(`${dataUrl}?${params.toString()}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      const data = await response.json();
      const before = cy.nodes().length;
      payload = data;
      merge(data);
      layout();
      applyHighlights();
      updatePage(data);
      const added = cy.nodes().length - before;
      say(`Expanded ${label}: ${added} more entit${added === 1 ? "y" : "ies"}, ${cy.nodes().length} in all.`);
      const node = cy.getElementById(id);
      if (node.nonempty()) {
        cy.$(":selected").unselect();
        node.select();
        showNode(node);
      }
    } catch (error) {
      if (fallbackHref) {
        window.location.href = fallbackHref;
      } else {
        say("The network could not be expanded. Use the Expand link in the entities table instead.");
      }
    }
  }

  document.addEventListener("click", (event) => {
    const trigger = event.target.closest("[data-expand]");
    if (!trigger || !canExpand) {
      return;
    }
    event.preventDefault();
    expand(trigger.dataset.expand, trigger.tagName === "A" ? trigger.href : null);
  });

  // --- Tools --------------------------------------------------------------------------------------

  function downloadPicture() {
    const blob = cy.png({ output: "blob", bg: "#ffffff", full: true, scale: 2 });
    const link = el("a", { href: URL.createObjectURL(blob), download: `network-${entityId || "connections"}.png` });
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    say("The picture of the network is downloading.");
  }

  tools.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) {
      return;
    }
    const action = button.dataset.action;
    if (action === "png") {
      downloadPicture();
      return;
    }
    const on = button.getAttribute("aria-pressed") !== "true";
    button.setAttribute("aria-pressed", String(on));
    if (action === "key-nodes") {
      showKeyNodes = on;
      button.textContent = on ? "Stop highlighting key nodes" : "Highlight key nodes";
    } else if (action === "communities") {
      showCommunities = on;
      if (!on) {
        highlighted = null;
      }
      button.textContent = on ? "Stop colouring communities" : "Colour communities";
    }
    applyHighlights();
  });

  tools.hidden = false;
  layout();
  applyHighlights();
})();

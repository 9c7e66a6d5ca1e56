// Sign-up form: suggest a workspace address from the company name and check it live.
(function () {
  var form = document.getElementById("signup-form");
  if (!form) { return; }
  var url = form.getAttribute("data-address-url");
  var name = document.getElementById("company_name");
  var slug = document.getElementById("slug");
  var status = document.getElementById("slug-status");
  var slugTouched = slug.value !== "";
  var timer = null;

  function show(result) {
    status.textContent = result.message;
    status.className = "small mb-3 " + (result.ok ? "text-success" : "text-danger");
  }

  function ask(params, fill) {
    fetch(url + "?" + new URLSearchParams(params), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (result) {
        if (fill) { slug.value = result.slug; }
        show(result);
      })
      .catch(function () { status.textContent = ""; });
  }

  function later(fn) { clearTimeout(timer); timer = setTimeout(fn, 300); }

  name.addEventListener("input", function () {
    if (!slugTouched && name.value.trim()) { later(function () { ask({ name: name.value }, true); }); }
  });
  slug.addEventListener("input", function () {
    slugTouched = slug.value !== "";
    later(function () { ask({ slug: slug.value }, false); });
  });
})();

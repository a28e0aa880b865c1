// Runs first thing in <body>, before the page is drawn: the NHS.UK styles for a browser that runs
// scripts (and supports ES modules) apply from the start, without a flash of the no-script layout.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");

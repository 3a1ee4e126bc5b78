// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * services.c - the services a subsystem offers to others through vosd
 * (issue 13): "--service NAME=COMMAND" at create, and its tags ("--tag T",
 * for the policy's @tag:T). The creator (root: only
 * CAP_SYS_ADMIN creates subsystems) writes them to a record,
 * VOS_SERVICES_DIR/<subsystem name>, that vosd reads when a call for that
 * subsystem is allowed. The record carries the subsystem's id and creation
 * time, and vosd checks both against vos.ko, so a record left by an ended
 * subsystem never serves a new one of the same name. Nothing inside a
 * subsystem can reach the directory (it is under the host's /run).
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "private.h"

static bool svc_name_ok(const char *s, size_t n)
{
	size_t i;

	if (n < 1 || n >= VOS_RPC_SERVICE_MAX || s[0] == '.' || s[0] == '-')
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return false;
		if (c == '.' && i + 1 < n && s[i + 1] == '.')
			return false;
	}
	return true;
}

VOS_EXPORT int vos_config_add_service(struct vos_config *cfg, const char *spec)
{
	const char *eq;
	size_t i;

	if (!cfg)
		return -EINVAL;
	eq = spec ? strchr(spec, '=') : NULL;
	if (!eq || !svc_name_ok(spec, (size_t)(eq - spec)))
		return vos_err(cfg->ctx, -EINVAL,
			       "--service: '%s' is not NAME=COMMAND: use a service name of A-Z a-z "
			       "0-9 _ . - and an absolute program path, e.g. vos.Echo=/bin/cat",
			       spec ? spec : "");
	if (eq[1] != '/')
		return vos_err(cfg->ctx, -EINVAL,
			       "--service: '%s': COMMAND must start with an absolute program path, "
			       "e.g. vos.Echo=/bin/cat",
			       spec);
	if (strlen(eq + 1) >= VOS_SERVICE_CMD_MAX || strpbrk(eq + 1, "\n\r"))
		return vos_err(cfg->ctx, -EINVAL,
			       "--service: '%s': COMMAND is one line of at most %d bytes", spec,
			       VOS_SERVICE_CMD_MAX - 1);
	for (i = 0; i < cfg->nservices; i++)
		if (strncmp(cfg->services[i], spec, (size_t)(eq - spec) + 1) == 0)
			return vos_err(cfg->ctx, -EINVAL, "--service: %.*s is given twice",
				       (int)(eq - spec), spec);
	if (cfg->nservices == VOS_MAX_SERVICES)
		return vos_err(cfg->ctx, -E2BIG, "--service: at most %d services",
			       VOS_MAX_SERVICES);
	cfg->services[cfg->nservices] = strdup(spec);
	if (!cfg->services[cfg->nservices])
		return vos_err(cfg->ctx, -ENOMEM, "--service:");
	cfg->nservices++;
	return 0;
}

static bool has_word(char *const *v, unsigned int n, const char *w)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], w))
			return true;
	return false;
}

VOS_EXPORT int vos_config_add_tag(struct vos_config *cfg, const char *tag)
{
	if (!cfg)
		return -EINVAL;
	if (!tag || !svc_name_ok(tag, strlen(tag)))
		return vos_err(cfg->ctx, -EINVAL,
			       "--tag: '%s' is not a tag: use 1-63 of A-Z a-z 0-9 _ . - (not "
			       "starting with . or -), e.g. work",
			       tag ? tag : "");
	if (has_word(cfg->tags, cfg->ntags, tag))
		return 0; /* given before: once is enough */
	if (cfg->ntags == VOS_MAX_TAGS)
		return vos_err(cfg->ctx, -E2BIG, "--tag: at most %d tags", VOS_MAX_TAGS);
	cfg->tags[cfg->ntags] = strdup(tag);
	if (!cfg->tags[cfg->ntags])
		return vos_err(cfg->ctx, -ENOMEM, "--tag:");
	cfg->ntags++;
	return 0;
}

int vos_services_record(struct vos_ctx *ctx, const struct vos_config *cfg, struct vos_subsys *s)
{
	char path[sizeof(VOS_SERVICES_DIR) + VOS_NAME_MAX + 8], tmp[sizeof(path) + 8];
	struct vos_info info;
	unsigned int i;
	FILE *f;
	int fd, r;

	if (!cfg->nservices && !cfg->ntags)
		return 0;
	r = vos_subsys_info(s, &info);
	if (r < 0)
		return r;
	/* /run/virtos, then the record's own directory: root's alone */
	if ((mkdir("/run/virtos", 0755) < 0 && errno != EEXIST) ||
	    (mkdir(VOS_SERVICES_DIR, 0700) < 0 && errno != EEXIST))
		return vos_err(ctx, -errno, "--service: cannot make " VOS_SERVICES_DIR ":");
	snprintf(path, sizeof(path), "%s/%s", VOS_SERVICES_DIR, info.name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return vos_err(ctx, -errno, "--service: cannot write %s:", tmp);
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return vos_err(ctx, -ENOMEM, "--service:");
	}
	fprintf(f, "# services of subsystem %s, read by vosd (written at create)\n", info.name);
	fprintf(f, "id=%" PRIu64 "\ncreated_ns=%" PRIu64 "\n", info.id, info.created_ns);
	for (i = 0; i < cfg->nservices; i++)
		fprintf(f, "service=%s\n", cfg->services[i]);
	for (i = 0; i < cfg->ntags; i++)
		fprintf(f, "tag=%s\n", cfg->tags[i]);
	if (fflush(f) != 0 || fsync(fd) < 0) {
		r = -errno;
		fclose(f);
		unlink(tmp);
		return vos_err(ctx, r, "--service: cannot write %s:", tmp);
	}
	fclose(f);
	if (rename(tmp, path) < 0) {
		r = -errno;
		unlink(tmp);
		return vos_err(ctx, r, "--service: cannot write %s:", path);
	}
	return 0;
}

VOS_EXPORT int vos_service_find(struct vos_ctx *ctx, const char *dir, const char *subsys,
				const char *service, char *cmd, size_t len)
{
	char path[4200], line[VOS_SERVICE_CMD_MAX + VOS_RPC_SERVICE_MAX + 16];
	uint64_t id = 0, created = 0;
	struct vos_info info;
	size_t n = service ? strlen(service) : 0;
	bool found = false;
	struct stat st;
	FILE *f;
	int r;

	if (!cmd || !len || !svc_name_ok(service ? service : "", n) || vos_name_check(subsys) < 0)
		return vos_err(ctx, -EINVAL, "service: bad subsystem or service name");
	cmd[0] = '\0';
	r = vos_subsys_get(ctx, subsys, &info);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), "%s/%s", dir ? dir : VOS_SERVICES_DIR, subsys);
	f = fopen(path, "re");
	if (!f)
		return vos_err_class(ctx, -ENOENT, VOS_ERR_NAME, "%s offers no services", subsys);
	/* written by root for root: anything else is not ours */
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & 022)) {
		fclose(f);
		return vos_err_class(ctx, -EPERM, VOS_ERR_PERM,
				     "%s is not a root-owned file writable by root alone", path);
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "id=%" SCNu64, &id) == 1 ||
		    sscanf(line, "created_ns=%" SCNu64, &created) == 1)
			continue;
		if (strncmp(line, "service=", 8) == 0 && strncmp(line + 8, service, n) == 0 &&
		    line[8 + n] == '=' && !found) {
			snprintf(cmd, len, "%s", line + 9 + n);
			found = true;
		}
	}
	fclose(f);
	if (id != info.id || created != info.created_ns) {
		cmd[0] = '\0';
		return vos_err_class(ctx, -ENOENT, VOS_ERR_NAME,
				     "%s offers no services (the record is an earlier subsystem's)",
				     subsys);
	}
	if (!found)
		return vos_err_class(ctx, -ENOENT, VOS_ERR_NAME, "%s offers no service %s", subsys,
				     service);
	return 0;
}

VOS_EXPORT int vos_subsys_tags(struct vos_ctx *ctx, const char *dir, const char *subsys, char *buf,
			       size_t len)
{
	char path[4200], line[VOS_SERVICE_CMD_MAX + VOS_RPC_SERVICE_MAX + 16];
	uint64_t id = 0, created = 0;
	struct vos_info info;
	size_t at = 0;
	struct stat st;
	int n = 0, r;
	FILE *f;

	if (!buf || !len || vos_name_check(subsys) < 0)
		return vos_err(ctx, -EINVAL, "tags: bad subsystem name");
	buf[0] = '\0';
	r = vos_subsys_get(ctx, subsys, &info);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), "%s/%s", dir ? dir : VOS_SERVICES_DIR, subsys);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & 022)) {
		fclose(f);
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "id=%" SCNu64, &id) == 1 ||
		    sscanf(line, "created_ns=%" SCNu64, &created) == 1)
			continue;
		if (strncmp(line, "tag=", 4) == 0 && svc_name_ok(line + 4, strlen(line + 4)) &&
		    at + strlen(line + 4) + 2 <= len) {
			at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? " " : "", line + 4);
			n++;
		}
	}
	fclose(f);
	if (id != info.id || created != info.created_ns) {
		buf[0] = '\0';
		return 0;
	}
	return n;
}

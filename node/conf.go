package node

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// setters are the emqx.conf keys a node knows, for each profile's naming:
// 4.x (cuttlefish, used by 3.x too) and 5.x (HOCON paths). Keys that EMQX
// knows but dnslab need not act on are set to nil: accepted, ignored.
var setters = map[bool]map[string]func(*Config, string) error{
	false: {
		"node.name": setName, "node.cookie": setCookie,
		"cluster.discovery": setDiscovery, "cluster.dns.name": setDNSName,
		"cluster.dns.app": setDNSApp, "cluster.dns.type": setDNSType,
		"cluster.autoclean": setAutoclean, "cluster.autoheal": setAutoheal,
		"cluster.name": nil, "cluster.proto_dist": nil,
	},
	true: {
		"node.name": setName, "node.cookie": setCookie,
		"cluster.discovery_strategy": setDiscovery, "cluster.dns.name": setDNSName,
		"cluster.dns.record_type": setDNSType, "cluster.autoclean": setAutoclean,
		"cluster.autoheal": setAutoheal, "cluster.name": nil, "cluster.proto_dist": nil,
	},
}

// Set applies one emqx.conf setting, named as c's profile names it, and
// reports whether the key is one dnslab knows. A bad value is an error
// naming the key; an unknown key is not an error.
func (c *Config) Set(key, value string) (known bool, err error) {
	set, known := setters[c.Profile == EMQX5][key]
	if !known || set == nil {
		return known, nil
	}

	if err := set(c, unquote(value)); err != nil {
		return true, fmt.Errorf("%w: %s: %w", ErrConfig, key, err)
	}

	return true, nil
}

// ParseConf reads emqx.conf-style settings into c: one `key = value` (or
// `key: value`) a line, values optionally quoted, blank lines and comments
// (#) skipped, so that an emqx.conf can be pasted as it is. Unknown keys
// are ignored and returned as warnings; the first bad line is an error
// naming file, line and key.
//
// TODO(dnslab): HOCON's nested blocks (cluster { dns { … } }) are not read;
// write the keys out as paths.
func (c *Config) ParseConf(r io.Reader, file string) (warnings []string, err error) {
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		key, value, ok, err := splitSetting(sc.Text())
		if err != nil {
			return warnings, fmt.Errorf("%w: %s:%d: %w", ErrConfig, file, line, err)
		}
		if !ok {
			continue
		}

		known, err := c.Set(key, value)
		if err != nil {
			return warnings, fmt.Errorf("%s:%d: %w", file, line, err)
		}
		if !known {
			warnings = append(warnings,
				fmt.Sprintf("%s:%d: unknown key %s ignored", file, line, key))
		}
	}

	return warnings, sc.Err()
}

// splitSetting splits a line into key and value; ok is false for a blank
// or comment line.
func splitSetting(line string) (key, value string, ok bool, err error) {
	line = strings.TrimSpace(line)
	if line == "" || strings.HasPrefix(line, "#") {
		return "", "", false, nil
	}

	i := strings.IndexAny(line, "=:")
	if i < 0 {
		return "", "", false, fmt.Errorf("%q is not key = value", line)
	}
	key, value = strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:])
	if j := strings.Index(value, " #"); j >= 0 && !strings.HasPrefix(value, `"`) {
		value = strings.TrimSpace(value[:j])
	}

	return key, value, true, nil
}

func unquote(v string) string {
	if s, err := strconv.Unquote(v); err == nil && strings.HasPrefix(v, `"`) {
		return s
	}

	return v
}

func setName(c *Config, v string) error {
	if err := validName(v); err != nil {
		return fmt.Errorf("%q is not <name>@<host>", v)
	}
	c.Name = v

	return nil
}

func setCookie(c *Config, v string) error {
	if v == "" {
		return fmt.Errorf("empty cookie")
	}
	c.Cookie = v

	return nil
}

// setDiscovery takes every strategy EMQX knows; validate refuses those
// dnslab does not simulate.
func setDiscovery(c *Config, v string) error {
	switch v {
	case "manual", "static", "mcast", "dns", "etcd", "k8s":
	case DiscoverySingleton:
		if c.Profile != EMQX5 {
			return fmt.Errorf("%q needs EMQX 5.8", v)
		}
	default:
		return fmt.Errorf("%q is not one of manual, static, mcast, dns, etcd, k8s, singleton", v)
	}
	c.Discovery = v

	return nil
}

func setDNSName(c *Config, v string) error {
	if v == "" {
		return fmt.Errorf("empty name")
	}
	c.DNSName = v

	return nil
}

func setDNSApp(c *Config, v string) error {
	if v == "" || strings.Contains(v, "@") {
		return fmt.Errorf("%q is not a node name part", v)
	}
	c.DNSApp = v

	return nil
}

func setDNSType(c *Config, v string) error {
	switch v {
	case RecordA, RecordAAAA, RecordSRV:
		c.DNSType = v
		return nil
	}

	return fmt.Errorf("%q is not one of a, aaaa, srv", v)
}

func setAutoclean(c *Config, v string) error {
	d, err := parseDuration(v)
	if err != nil {
		return err
	}
	c.Autoclean = d

	return nil
}

func setAutoheal(c *Config, v string) error {
	switch v {
	case "on", "true":
		c.Autoheal = true
	case "off", "false":
		c.Autoheal = false
	default:
		return fmt.Errorf("%q is not one of on, off, true, false", v)
	}

	return nil
}

// parseDuration reads EMQX durations: Go's units plus d and w, or off.
func parseDuration(v string) (time.Duration, error) {
	switch {
	case v == "off" || v == "0":
		return 0, nil
	case strings.HasSuffix(v, "d"), strings.HasSuffix(v, "w"):
		n, err := strconv.Atoi(v[:len(v)-1])
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%q is not a duration", v)
		}
		unit := 24 * time.Hour
		if strings.HasSuffix(v, "w") {
			unit *= 7
		}
		return time.Duration(n) * unit, nil
	}

	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not a duration", v)
	}

	return d, nil
}

package spotifymon

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestVersionMatchesHeader(t *testing.T) {
	if VersionNumber() != ABIVersion {
		t.Fatalf("library %d, header %d", VersionNumber(), ABIVersion)
	}
	if Version() == "" {
		t.Fatal("empty version")
	}
}

func TestConfigRejectsUnknownKeysAndBadValues(t *testing.T) {
	if err := ValidateConfig(map[string]string{"seed": "7"}); err != nil {
		t.Fatalf("valid config rejected: %v", err)
	}
	var e *Error
	err := ValidateConfig(map[string]string{"no.such.key": "1"})
	if !errors.As(err, &e) || e.Status != 4 || e.Message == "" {
		t.Fatalf("unknown key: got %v", err)
	}
	err = ValidateConfig(map[string]string{"seed": "not-a-number"})
	if !errors.As(err, &e) || e.Status != 4 {
		t.Fatalf("bad value: got %v", err)
	}
}

func TestDescribeConfigIsJSON(t *testing.T) {
	text, err := DescribeConfig()
	if err != nil {
		t.Fatal(err)
	}
	var keys []map[string]any
	if err := json.Unmarshal([]byte(text), &keys); err != nil || len(keys) == 0 {
		t.Fatalf("describe: %v (%d keys)", err, len(keys))
	}
}

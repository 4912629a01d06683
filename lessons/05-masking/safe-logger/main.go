// Command safe-logger is the provided program of lesson 5's exercise: it
// loads credentials and logs carelessly through the logger you write in
// logger.go, which must keep every secret out of its output. Do not edit this
// file: the checker builds the original. Read README.md next to it.
package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

type credentials struct {
	Host     string `json:"host"`
	Username string `json:"username"`
	Password string `json:"password"`
	APIKey   string `json:"api_key"`
}

func main() {
	ctx := context.Background()
	// The log is what the logger writes to the stream it is given; the
	// stream marks each of its lines "log| " on stdout.
	stream := &logStream{w: os.Stdout}
	reqID := os.Getenv("REQUEST_ID")

	// A first logger, before any secret is known.
	boot := newLogger(stream)
	boot.Info("starting", "request_id", reqID)

	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "safe-logger: loading the AWS configuration:", err)
		os.Exit(2)
	}
	name := os.Getenv("SECRET_NAME")
	out, err := secretsmanager.NewFromConfig(cfg).GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	if err != nil {
		fmt.Fprintf(os.Stderr, "safe-logger: reading secret %q failed\n", name)
		os.Exit(2)
	}
	raw := aws.ToString(out.SecretString)
	var c credentials
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		fmt.Fprintf(os.Stderr, "safe-logger: secret %q is not the expected JSON\n", name)
		os.Exit(2)
	}

	// newLogger is called a second time, now with the secrets.
	log := newLogger(stream, c.Password, c.APIKey)

	// An attribute.
	log.Info("connecting to database", "host", c.Host, "user", c.Username, "password", c.Password)
	// Base64 of user:key, inside a header.
	log.Info("calling partner API", "request_id", reqID, "header",
		"Authorization: Basic "+base64.StdEncoding.EncodeToString([]byte(c.Username+":"+c.APIKey)))
	// The secret's JSON as it is stored.
	log.Info("loaded configuration", "request_id", reqID, "config", raw)
	// JSON this program writes, without HTML escaping (as slog's JSON
	// handler and Python's json.dumps write it).
	var doc bytes.Buffer
	enc := json.NewEncoder(&doc)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(c)
	log.Info("parsed configuration", "request_id", reqID, "config", strings.TrimSpace(doc.String()))
	// Error values.
	log.Warn("partner API refused the call", "request_id", reqID, "err", fmt.Errorf("key %s was rejected", c.APIKey))
	log.Error("partner API call failed", "request_id", reqID, "err", &url.Error{
		Op: "Post", URL: "https://" + c.Host + "/v1/charges?key=" + c.APIKey, Err: errors.New("connection reset by peer")})
	// A group.
	log.Info("sending credentials", "request_id", reqID, slog.Group("login", "user", c.Username, "password", c.Password))
	// Loggers made from log: one with attributes, one with a group.
	log.With("component", "db", "password", c.Password).Info("pool opened", "host", c.Host)
	log.WithGroup("partner").Info("retrying the call", "request_id", reqID, "api_key", c.APIKey)
	// The message itself, with a secret under no name.
	log.Info(fmt.Sprintf("rotating credentials for %s, retiring %s", c.Username, c.Password))
	log.Info("done", "user", c.Username)
}

// logStream writes to w and starts every line with "log| ", so the log
// reads apart from anything written to stdout or stderr some other way.
type logStream struct {
	w   io.Writer
	mid bool // inside a line
}

func (s *logStream) Write(p []byte) (int, error) {
	var b []byte
	for rest := p; len(rest) > 0; {
		if !s.mid {
			b = append(b, "log| "...)
		}
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			b, s.mid = append(b, rest...), true
			break
		}
		b, s.mid, rest = append(b, rest[:i+1]...), false, rest[i+1:]
	}
	if _, err := s.w.Write(b); err != nil {
		return 0, err
	}
	return len(p), nil
}

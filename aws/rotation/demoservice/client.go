package demoservice

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Client calls a demo service over HTTP. Its methods match what the rotation
// strategies in package rotation need (rotation.KeyService).
type Client struct {
	// BaseURL is the service's URL, e.g. Server.URL.
	BaseURL string
	// AdminToken authorises the admin calls; WhoAmI does not need it.
	AdminToken string
	// HTTPClient defaults to http.DefaultClient.
	HTTPClient *http.Client
}

func (c *Client) do(ctx context.Context, method, path string, header http.Header, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, rd)
	if err != nil {
		return fmt.Errorf("demoservice: %w", err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	hc := c.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("demoservice: %s %s: %w (is the demo service running at %s?)", method, path, err, c.BaseURL)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		var eb errorBody
		_ = json.NewDecoder(io.LimitReader(resp.Body, 4<<10)).Decode(&eb)
		if resp.StatusCode == http.StatusUnauthorized {
			return fmt.Errorf("demoservice: %s %s: %w: %s", method, path, ErrUnauthorized, eb.Error)
		}
		if resp.StatusCode == http.StatusConflict {
			return fmt.Errorf("demoservice: %s %s: %w", method, path, ErrKeyInUse)
		}
		return fmt.Errorf("demoservice: %s %s: HTTP %d: %s", method, path, resp.StatusCode, eb.Error)
	}
	if out != nil {
		return json.NewDecoder(resp.Body).Decode(out)
	}
	return nil
}

func (c *Client) adminHeader() http.Header {
	return http.Header{"Authorization": {"Bearer " + c.AdminToken}}
}

// WhoAmI authenticates with key and returns its user; a rejected key is an
// error wrapping ErrUnauthorized.
func (c *Client) WhoAmI(ctx context.Context, key string) (string, error) {
	var out struct {
		User string `json:"user"`
	}
	err := c.do(ctx, http.MethodGet, "/whoami", http.Header{"X-Api-Key": {key}}, nil, &out)
	return out.User, err
}

// AddKey registers key for user (idempotent).
func (c *Client) AddKey(ctx context.Context, user, key string) error {
	return c.do(ctx, http.MethodPost, "/admin/keys", c.adminHeader(), keyRequest{User: user, Key: key}, nil)
}

// RevokeKey revokes key (idempotent).
func (c *Client) RevokeKey(ctx context.Context, key string) error {
	return c.do(ctx, http.MethodPost, "/admin/keys/revoke", c.adminHeader(), keyRequest{Key: key}, nil)
}

// RevokeOtherKeys revokes every key of user except keep (idempotent).
func (c *Client) RevokeOtherKeys(ctx context.Context, user string, keep ...string) error {
	if keep == nil {
		keep = []string{}
	}
	return c.do(ctx, http.MethodPost, "/admin/users/"+url.PathEscape(user)+"/revoke-others", c.adminHeader(), revokeOthersRequest{Keep: keep}, nil)
}

// KeyCount returns how many keys user has.
func (c *Client) KeyCount(ctx context.Context, user string) (int, error) {
	var out struct {
		Keys int `json:"keys"`
	}
	err := c.do(ctx, http.MethodGet, "/admin/users/"+url.PathEscape(user), c.adminHeader(), nil, &out)
	return out.Keys, err
}

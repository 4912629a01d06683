package motoserver

import (
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	StopShared()
	os.Exit(code)
}

func TestForTestAnswersSecretsManager(t *testing.T) {
	s := ForTest(t)
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/", strings.NewReader("{}"))
	req.Header.Set("X-Amz-Target", "secretsmanager.ListSecrets")
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20261125/us-east-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=x")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "SecretList") {
		t.Fatalf("ListSecrets on moto: %d %s", resp.StatusCode, body)
	}
}

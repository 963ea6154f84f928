package tributary.bus;

import java.util.List;

/** Tokens of one identity that no longer grant anything (X3), so every node forgets them at once. */
public record TokensRevoked(String userId, List<String> tokenIds) {
  public TokensRevoked {
    tokenIds = List.copyOf(tokenIds);
  }
}

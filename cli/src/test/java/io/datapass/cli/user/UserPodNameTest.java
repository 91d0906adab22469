package io.datapass.cli.user;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The pod's name as datapass-lib's dnsName makes it (UserStartDryRunTest checks the chart agrees).
 */
class UserPodNameTest {
  @Test
  void aNameThatIsADnsLabelIsKept() {
    assertThat(UserPodName.of("savu", "jdoe")).isEqualTo("savu-jdoe");
    assertThat(UserPodName.of("", "jdoe")).isEqualTo("jdoe");
  }

  @Test
  void anyOtherIsCleanedAndGetsTheHashOfTheNameAsGiven() {
    // sha256("savu-Jane.Doe") begins 0ed9be90: printf %s savu-Jane.Doe | sha256sum
    assertThat(UserPodName.of("savu", "Jane.Doe")).isEqualTo("savu-jane-doe-0ed9be90");
    assertThat(UserPodName.of("savu", "jane.doe")).isNotEqualTo("savu-jane-doe-0ed9be90");
  }

  @Test
  void aLongNameIsCutToFiftyTwoWithoutATrailingDash() {
    assertThat(UserPodName.of("savu", "a".repeat(38) + "-" + "b".repeat(60)))
        .hasSize(52)
        .matches("savu-a{38}-[0-9a-f]{8}");
    // cut right after a '-': that one goes, not doubled before the hash
    assertThat(UserPodName.of("savu", "a".repeat(37) + "-" + "b".repeat(60)))
        .hasSize(51)
        .matches("savu-a{37}-[0-9a-f]{8}");
  }

  @Test
  void aNameOfNothingButPunctuationIsItsHashStartingWithALetter() {
    assertThat(UserPodName.dnsName("__")).matches("n?[0-9a-f]{8}").matches("[a-z].*");
  }

  @Test
  void aNameStartingWithADigitGetsALetterInFrontAsAServiceNameNeeds() {
    assertThat(UserPodName.of("3dxrd", "jdoe")).matches("n3dxrd-jdoe-[0-9a-f]{8}");
  }
}
